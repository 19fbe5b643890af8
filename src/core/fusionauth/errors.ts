// What a failed FusionAuth call means to the user: the library's ClientResponse rejection (status,
// FusionAuth's `fieldErrors`/`generalErrors`, or the network error when nothing answered) turned into
// one sentence and one hint, through the project's two mappers (core/http: request.ts for the network,
// errors.ts for statuses). FusionAuth-specific knowledge lives here: its error codes and its key permissions.
import { UserError } from '../errors';
import { httpFailure, notJson } from '../http';
import { networkError } from '../http';
import { redact, sanitizeLine, selfCommandQuoted } from '../text';

export interface CallDescription {
  /** What we were doing, as a verb phrase: "creating the application". */
  action: string;
  method: string;
  /** The endpoint as API key permissions name it: /api/application. */
  endpoint: string;
}

interface FailureContext extends CallDescription {
  url: string;
  timeoutMs: number;
  /** The key check: a 401 here means a wrong key rather than a missing permission. */
  firstCall: boolean;
  secrets: string[];
}

interface FaError {
  code?: string;
  message?: string;
}
interface FaErrors {
  fieldErrors?: Record<string, FaError[]>;
  generalErrors?: FaError[];
}

/** A failed FusionAuth call: a UserError that still carries the status and FusionAuth's error codes. */
export class FusionAuthError extends UserError {
  constructor(
    error: UserError,
    readonly status: number | undefined,
    readonly codes: readonly string[],
  ) {
    super(error.message, { hint: error.hint, cause: error.options.cause });
    this.name = 'FusionAuthError';
  }

  has(code: string): boolean {
    return this.codes.includes(code);
  }
}

/**
 * Every endpoint and method this tool calls with the API key, as FusionAuth's key permissions name
 * them: `apiKey.permissions.endpoints`, "each key of the object is an endpoint, with the value being an
 * array of the HTTP methods which can be used against the endpoint" (fusionauth.io/docs/apis/api-keys;
 * FusionAuth/fusionauth-site astro/src/content/docs/apis/_apikey-post-put-request-body.mdx). A key
 * limited to endpoints is refused (401) anything else. Each `api.call` names its endpoint and method:
 */
export const KEY_PERMISSION_ENDPOINTS: Readonly<Record<string, readonly string[]>> = {
  '/api/system/version': ['GET'], // tenant.ts: the key check
  '/api/tenant': ['GET', 'PATCH'], // tenant.ts: tenants, the issuer; webhook.ts: the login event
  '/api/application': ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], // application.ts: read, create, update, reactivate, the client secret; destroy
  '/api/application/search': ['POST'], // application.ts: find by name
  '/api/webhook': ['GET', 'POST', 'PUT', 'DELETE'], // webhook.ts: read, list, create, update; destroy
  '/api/user': ['GET'], // users.ts: the user by email
  '/api/user/registration': ['GET', 'POST'], // users.ts: read, register
};

/** The same, as the hint shows it: `/api/system/version GET, /api/tenant GET PATCH, …`. */
export const KEY_PERMISSIONS = Object.entries(KEY_PERMISSION_ENDPOINTS)
  .map(([endpoint, methods]) => `${endpoint} ${methods.join(' ')}`)
  .join(', ');

function errorsOf(exception: unknown): FaErrors | undefined {
  if (typeof exception !== 'object' || exception === null || exception instanceof Error) return undefined;
  const e = exception as FaErrors;
  return e.fieldErrors || e.generalErrors ? e : undefined;
}

export function errorCodes(exception: unknown): string[] {
  const errors = errorsOf(exception);
  if (!errors) return [];
  const field = Object.values(errors.fieldErrors ?? {}).flat();
  return [...field, ...(errors.generalErrors ?? [])].map((e) => e.code ?? '').filter(Boolean);
}

/** `[duplicate]application.name: An Application with name [ngrok] already exists; …` */
function detailOf(exception: unknown, secrets: string[]): string | undefined {
  const errors = errorsOf(exception);
  if (!errors) return undefined;
  // FusionAuth's words, quoted to a terminal: text only (core/text/sanitize.ts).
  const clean = (text: string | undefined) =>
    sanitizeLine(text ?? '')
      .trim()
      .replace(/\.$/, '');
  const parts: string[] = [];
  for (const [field, list] of Object.entries(errors.fieldErrors ?? {})) {
    for (const e of list)
      parts.push(`${e.code?.includes(field) ? '' : `${clean(field)} `}${clean(e.code)}: ${clean(e.message)}`.trim());
  }
  for (const e of errors.generalErrors ?? []) parts.push(`${clean(e.code)}: ${clean(e.message)}`);
  if (!parts.length) return undefined;
  const text = parts.slice(0, 4).join('; ') + (parts.length > 4 ? `; and ${parts.length - 4} more` : '');
  return redact(`${text.length > 500 ? `${text.slice(0, 497)}…` : text}.`, secrets);
}

const TENANT_REQUIRED_HINT =
  'This FusionAuth has several tenants: choose the tenant on the Set Up FusionAuth screen, or give the API key a tenant (Settings → API Keys).';

function hintFor(codes: string[], status: number, ctx: FailureContext): string | undefined {
  if (codes.includes('[TenantIdRequired]')) return TENANT_REQUIRED_HINT;
  if (codes.includes('[invalid]tenantId'))
    return `The tenant this setup uses does not exist in this FusionAuth (any more): run ${selfCommandQuoted('reset')} and choose the tenant again.`;
  if (codes.some((c) => c.startsWith('[duplicate]application.name')))
    return 'Another application in this tenant has that name: choose another name.';
  if (status === 401) {
    return ctx.firstCall
      ? `Check the key in FusionAuth → Settings → API Keys. A key limited to some endpoints needs: ${KEY_PERMISSIONS}.`
      : `Allow ${ctx.method} on ${ctx.endpoint} for this key (FusionAuth → Settings → API Keys → Endpoints), or use a key without endpoint limits. A tenant-scoped key cannot reach other tenants or webhooks.`;
  }
  if (status === 404 && ctx.endpoint === '/api/system/version')
    return `Is ${ctx.url} the address of FusionAuth itself (not a site or proxy in front of it)?`;
  if (status >= 300 && status < 400)
    return `${ctx.url} redirects elsewhere: use the address it redirects to (https:// instead of http://?).`;
  return undefined;
}

export function fusionauthFailure(
  answer: { statusCode?: number; exception?: unknown },
  ctx: FailureContext,
): FusionAuthError {
  const status = answer.statusCode;
  const endpointUrl = `${ctx.url}${ctx.endpoint}`;
  if (status === undefined) {
    const network = networkError(endpointUrl, answer.exception, ctx.timeoutMs);
    const message = `${network.message.replace(/\.$/, '')} while ${ctx.action}.`;
    return new FusionAuthError(new UserError(message, { hint: network.hint, cause: answer.exception }), undefined, []);
  }
  if (status >= 200 && status < 300) return new FusionAuthError(notJson('FusionAuth', ctx.action, status), status, []);
  const codes = errorCodes(answer.exception);
  const detail =
    status === 401 && !ctx.firstCall
      ? `it may not call ${ctx.method} ${ctx.endpoint}.`
      : detailOf(answer.exception, ctx.secrets);
  const action = status === 401 && ctx.firstCall ? `${ctx.action} (${ctx.method} ${ctx.endpoint})` : ctx.action;
  return new FusionAuthError(
    httpFailure({ service: 'FusionAuth', action, status, detail, hint: hintFor(codes, status, ctx) }),
    status,
    codes,
  );
}
