// The account's resources, stored in their wire shape (snake_case, as in ngrok's API reference,
// https://ngrok.com/docs/api/).
// `uri` fields hold API paths ("/reserved_domains/rd_…"); the API server prefixes its own base URL
// when it answers, so stored state survives a restart on another port.

export interface Ref {
  id: string;
  uri: string;
}

export interface ReservedDomain {
  id: string;
  uri: string;
  created_at: string;
  description: string;
  metadata: string;
  domain: string;
  region: string;
  cname_target: string | null;
  certificate: Ref | null;
  certificate_management_policy: { authority: string; private_key_type: string } | null;
  certificate_management_status: null;
  acme_challenge_cname_target: string | null;
  is_dev: boolean;
}

export interface OidcModule {
  enabled: boolean;
  options_passthrough: boolean;
  cookie_prefix: string;
  inactivity_timeout: number;
  maximum_duration: number;
  issuer: string;
  client_id: string;
  client_secret: string;
  scopes: string[];
}

export interface BackendModule {
  enabled: boolean;
  backend: Ref;
}

export interface IpRestrictionModule {
  enabled: boolean;
  ip_policies: Ref[];
}

export interface HeadersModule {
  enabled: boolean;
  add: Record<string, string>;
  remove: string[];
}

export interface TrafficPolicyModule {
  enabled: boolean;
  value: string;
}

/** Route modules the sandbox stores and enforces; the others are refused at the API. */
export interface RouteModules {
  backend: BackendModule | null;
  ip_restriction: IpRestrictionModule | null;
  request_headers: HeadersModule | null;
  response_headers: HeadersModule | null;
  oidc: OidcModule | null;
  traffic_policy: TrafficPolicyModule | null;
}

export const ROUTE_MODULES = [
  'backend',
  'ip_restriction',
  'request_headers',
  'response_headers',
  'oidc',
  'traffic_policy',
] as const;
export type RouteModuleName = (typeof ROUTE_MODULES)[number];
/** In ngrok's API reference, not enforced here: a non-null value is refused rather than silently ignored. */
export const UNSUPPORTED_ROUTE_MODULES = [
  'circuit_breaker',
  'compression',
  'webhook_verification',
  'oauth',
  'saml',
  'websocket_tcp_converter',
  'user_agent_filter',
] as const;

export interface HttpsEdgeRoute extends RouteModules {
  edge_id: string;
  id: string;
  created_at: string;
  match_type: 'exact_path' | 'path_prefix';
  match: string;
  uri: string;
  description: string;
  metadata: string;
  circuit_breaker: null;
  compression: null;
  webhook_verification: null;
  oauth: null;
  saml: null;
  websocket_tcp_converter: null;
  user_agent_filter: null;
}

export interface HttpsEdge {
  id: string;
  description: string;
  metadata: string;
  created_at: string;
  uri: string;
  hostports: string[];
  mutual_tls: null;
  tls_termination: { enabled: boolean; terminate_at: string; min_version: string | null } | null;
  routes: HttpsEdgeRoute[];
}

export interface TunnelGroupBackend {
  id: string;
  uri: string;
  created_at: string;
  description: string;
  metadata: string;
  labels: Record<string, string>;
}

export interface CloudEndpoint {
  id: string;
  bindings: string[];
  created_at: string;
  updated_at: string;
  description: string;
  metadata: string;
  /** The reserved domain of a public endpoint; internal URLs need none. */
  domain?: Ref;
  hostport: string;
  proto: string;
  public_url: string;
  traffic_policy: string;
  type: 'cloud';
  uri: string;
  url: string;
  pooling_enabled: boolean;
}

export interface IpPolicy {
  id: string;
  uri: string;
  created_at: string;
  description: string;
  metadata: string;
}

export interface IpPolicyRule {
  id: string;
  uri: string;
  created_at: string;
  description: string;
  metadata: string;
  cidr: string;
  ip_policy: Ref;
  action: 'allow' | 'deny';
}

/**
 * A vault and a secret, as /vaults and /vault_secrets answer them (the Vault and Secret schemas of
 * ngrok's OpenAPI spec, shared/reference/ngrok-openapi.yaml). A secret's value is not a field here:
 * "The ngrok API never returns secret values in response payloads"
 * (https://ngrok.com/docs/traffic-policy/secrets/), so the account keeps values apart (state.ts).
 */
export interface Vault {
  id: string;
  uri: string;
  created_at: string;
  updated_at: string;
  name: string;
  description: string;
  metadata: string;
}

export interface VaultSecret {
  id: string;
  uri: string;
  created_at: string;
  updated_at: string;
  name: string;
  description: string;
  metadata: string;
  vault: Ref;
}

export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
