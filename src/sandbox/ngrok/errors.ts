// ngrok's errors, shared by the management API (JSON), the cloud (HTML pages) and the agent
// protocol. Messages follow ngrok's error reference (ngrok.com/docs/errors). Where ngrok's code for
// a case is not known, `code` is left out rather than invented: the API then sends no error_code.
export class NgrokError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    msg: string,
  ) {
    super(msg);
    this.name = 'NgrokError';
  }
}

const e = (status: number, num: number | undefined, msg: string) =>
  new NgrokError(status, num === undefined ? undefined : `ERR_NGROK_${num}`, msg);

const API_KEYS = 'API keys and instructions are available on your dashboard: https://dashboard.ngrok.com/api-keys';
const UPGRADE = 'Upgrade to a paid plan at: https://dashboard.ngrok.com/billing/choose-a-plan';
const AUTHTOKEN_HELP =
  'Sign up for an account: https://dashboard.ngrok.com/signup\nInstall your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken';

export const errors = {
  // --- management API: authentication, versioning, limits
  noAuthorization: () =>
    e(401, 200, `The ngrok API requires that you set the Authorization header for authentication. ${API_KEYS}`),
  badAuthorization: (value: string) =>
    e(
      401,
      201,
      `The ngrok API requires that you use Basic or Bearer authentication via the Authorization header. It could not parse the header in this request. Authorization Header: ${value}. ${API_KEYS}`,
    ),
  invalidApiKey: (token: string) =>
    e(
      401,
      203,
      `The API authentication you specified is properly formed, but it is invalid. Your authentication: ${token}. ${API_KEYS}`,
    ),
  authtokenAsApiKey: (token: string) =>
    e(
      401,
      207,
      `The authentication you specified is actually a tunnel credential, not an API key token. Your key: ${token}. Please check your records for an API key with the form FIRSTPART_SECONDPART. ${API_KEYS}`,
    ),
  noVersion: () =>
    e(
      400,
      218,
      'Your request has not specified an API version. Include the version you wish to use in the Ngrok-Version header. Supported versions: 2.',
    ),
  badVersion: (v: string) =>
    e(
      400,
      217,
      `The provided API version ${v} is invalid or unsupported. Supported versions: 2. Check your API client implementation.`,
    ),
  rateLimited: (max: number, interval: string) =>
    e(429, 226, `Your account is rate limited to ${max} API requests per ${interval}.`),
  // ngrok answers unknown ids with a 404 without an error_code: {"details": {"operation_id": …}, "msg":
  // "Resource not found", "status_code": 404} (ngrok/ngrok-docs
  // snippets/api/resources/examples/_tunnel_sessions_stop_response.mdx, the API reference's example).
  notFound: () => e(404, undefined, 'Resource not found'),
  methodNotAllowed: () => e(405, undefined, 'Method not allowed'),
  invalid: (msg: string) => e(400, undefined, msg),
  unsupported: (what: string) => e(400, undefined, `${what} is not supported by the ngrok sandbox.`),

  // --- resources
  domainAlreadyReserved: (domain: string) =>
    e(400, 413, `This domain is already reserved for your account. Failed to reserve ${domain}.`),
  domainNotReserved: (hostport: string) => e(400, 7117, `The domain ${hostport} is not reserved.`),
  edgesSunset: () =>
    e(
      400,
      7008,
      'Edges are deprecated and no longer available. If you have used edges before, a migration guide is available: https://ngrok.com/docs/universal-gateway/edges/#migration-guide.',
    ),
  labelEquals: (label: string) =>
    e(400, 6531, `The label ${label} is invalid: label keys and values may not contain '='.`),
  oidcIssuerRequired: () => e(400, 7088, 'The OIDC issuer property is required.'),
  oidcClientIdRequired: () => e(400, 7089, 'The OIDC Client ID property is required.'),
  oidcClientSecretRequired: () => e(400, 7090, 'The OIDC Client Secret property is required.'),
  oidcNeedsPathRoute: () =>
    e(
      400,
      7134,
      "OAuth, OIDC and SAML may only be configured for routes with path selectors (i.e. 'exact_path', 'path_prefix').",
    ),
  conflictingAuth: () => e(400, 7079, 'Only one of the OAuth, OIDC and SAML modules may be enabled on a route.'),
  cloudPolicyInvalid: (msg: string) =>
    e(400, 18002, `The provided cloud endpoint traffic policy configuration is invalid: ${msg}`),
  // The edge's header modules (ngrok.com/docs/errors/err_ngrok_7015, _7023, _7069).
  moduleHeadersMax: (given: number, max: number) =>
    e(400, 7015, `The edge module exceeds the max number of headers. You specified ${given}, the maximum is ${max}.`),
  headerName: (name: string) =>
    e(400, 7023, `${name} is not a valid HTTP header name because it contains at least one invalid character.`),
  headerTwice: (name: string, casings: string[]) =>
    e(
      400,
      7069,
      `Duplicate 'add' header, ${name} was provided twice with different casings: ${casings[0]} and ${casings[1]}.`,
    ),
  policyInvalid: (msg: string) => e(400, 9026, `The TrafficPolicy you provided is invalid: ${msg}.`),
  // Bindings and pools of endpoints (https://ngrok.com/docs/endpoints/endpoint-pooling/, "Conflicts").
  invalidBinding: (binding: string) => e(400, 15005, `The binding ${binding} is invalid.`),
  internalBindingNeedsInternalUrl: (url: string) =>
    e(
      400,
      9029,
      `Failed to start endpoint with ${url}. Endpoints with a "internal" binding must have a url that ends in ".internal".`,
    ),
  poolingEnabledConflict: () =>
    e(
      400,
      18016,
      'The provided cloud endpoint was invalid because pooling was set to enabled when another endpoint exists for this url that has pooling disabled.',
    ),
  poolingDisabledConflict: () =>
    e(
      400,
      18017,
      'The provided cloud endpoint was invalid because pooling was set to disabled when another endpoint exists for this url.',
    ),

  // --- what a Free account is refused (see ./plan.ts). ngrok's error pages give the code and the
  // message, not the HTTP status: 400, as ngrok answers the API's other refusals of a request.
  cloudEndpointsNotOnPlan: () =>
    e(
      400,
      18008,
      'This account does not have access to Cloud Endpoints. Upgrade or switch to a pay-as-you-go plan for access.',
    ),
  internalBindingsNotOnPlan: () => e(400, 9027, 'Your account is not authorized to use internal bindings.'),
  reserveNotOnPlan: () =>
    e(400, 401, `Only accounts on paid plans can reserve domains.\nYour account can't reserve domains.\n\n${UPGRADE}`),
  customSubdomainNotOnPlan: (subdomain: string, account: string, plan: string) =>
    e(
      400,
      313,
      `Only paid plans may create endpoints with custom subdomains.\nFailed to create an endpoint with the custom subdomain ${subdomain} for the account ${account}.\nThis account is on the ${plan} plan.\n\n${UPGRADE}`,
    ),
  customHostnameNotOnPlan: (hostname: string, account: string, plan: string) =>
    e(
      400,
      314,
      `Only paid plans may create endpoints with custom hostnames.\nFailed to create an endpoint with the custom hostname ${hostname} for the account ${account}.\nThis account is on the ${plan} plan.\n\n${UPGRADE}`,
    ),

  oidcDiscovery: (action: string, config: string, issuer: string) =>
    e(
      400,
      2227,
      `Invalid configuration for ${action}: The issuer URL at ${config} with a value of ${issuer} did not return a valid OpenID Connect Discovery document.`,
    ),

  // --- agent sessions and tunnels
  noAuthtoken: () => e(401, 4018, `Usage of ngrok requires a verified account and authtoken.\n\n${AUTHTOKEN_HELP}`),
  malformedAuthtoken: (token: string) =>
    e(
      401,
      105,
      `The authtoken you specified does not look like a proper ngrok authtoken.\nYour authtoken: ${token}\nInstructions to install your authtoken are on your ngrok dashboard:\nhttps://dashboard.ngrok.com/get-started/your-authtoken`,
    ),
  invalidAuthtoken: (token: string) =>
    e(
      401,
      107,
      `The authtoken you specified is properly formed, but it is invalid.\nYour authtoken: ${token}\nGo to your ngrok dashboard and double check that your authtoken is correct:\nhttps://dashboard.ngrok.com/get-started/your-authtoken`,
    ),
  noProtocolOrLabels: () => e(400, 394, 'Each tunnel must specify either a protocol or labels, but neither was set.'),
  edgeNotFound: (id: string) => e(400, 7000, `Edge not found: ${id}`),
  endpointOnline: (url: string) =>
    e(
      400,
      334,
      `The endpoint '${url}' is already online. Either\n- stop your existing endpoint first, or\n- start both endpoints with \`--pooling-enabled\` to load balance between them.`,
    ),
  domainRequired: () =>
    e(
      400,
      15002,
      'Your account requires you to register a Domain through the ngrok Dashboard before starting an Endpoint on it. Visit https://dashboard.ngrok.com/domains to register a domain, then use the --url flag.',
    ),
} as const;

/** ngrok's JSON error body. operation_id is per request, as in ngrok's answers. */
export function errorBody(error: NgrokError, operationId: string): Record<string, unknown> {
  return {
    ...(error.code ? { error_code: error.code } : {}),
    status_code: error.status,
    msg: error.message,
    details: { operation_id: operationId },
  };
}
