// Who may call the management API, and in which tenant. FusionAuth's rules: the raw key in
// `Authorization` (no scheme); a key with endpoint permissions may call only those endpoints and
// methods; a tenant-scoped key implies its tenant; a global key on an instance with more than one
// tenant must name the tenant in `X-FusionAuth-TenantId` wherever the call needs one.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './http';
import type { ApiKeyOptions, IdpState } from './state';

/** The endpoints API key permissions name, most specific first so the longest prefix wins. */
const ENDPOINTS = [
  '/api/application/search',
  '/api/application',
  '/api/tenant/search',
  '/api/tenant',
  '/api/user/registration',
  '/api/user/search',
  '/api/user',
  '/api/webhook/search',
  '/api/webhook',
  '/api/system/version',
];

function endpointOf(pathname: string): string | undefined {
  return ENDPOINTS.find((endpoint) => pathname === endpoint || pathname.startsWith(`${endpoint}/`));
}

function sameKey(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class ApiKeyGate {
  readonly #state: IdpState;
  /** Calls seen per key, for the fresh-key delay. In memory only: a restart is a new cache. */
  readonly #calls = new Map<string, number>();

  constructor(state: IdpState) {
    this.#state = state;
  }

  /** The key this request may use for this call, or undefined: the caller answers 401. */
  authorize(req: IncomingMessage, pathname: string, method: string): ApiKeyOptions | undefined {
    const header = req.headers.authorization;
    if (!header) return undefined;
    const key = this.#state.apiKeys.find((candidate) => sameKey(candidate.key, header));
    if (!key) return undefined;
    // A tenant-scoped key cannot be pointed at another tenant, whatever the call.
    const tenantHeader = req.headers['x-fusionauth-tenantid'];
    if (key.tenantId && tenantHeader !== undefined && tenantHeader !== key.tenantId) return undefined;
    const calls = (this.#calls.get(key.key) ?? 0) + 1;
    this.#calls.set(key.key, calls);
    if (key.unauthorizedForFirstCalls !== undefined && calls <= key.unauthorizedForFirstCalls) return undefined;
    // FusionAuth's apiKey.permissions.endpoints: endpoint → the HTTP methods the key may use on it; "An
    // Empty permissions object mean that this is a super key that authorizes this key for all the
    // endpoints" (fusionauth.io/docs/apis/api-keys; FusionAuth/fusionauth-site
    // astro/src/content/docs/apis/_apikey-post-put-request-body.mdx).
    const permissions = key.permissions ?? {};
    if (Object.keys(permissions).length > 0) {
      const endpoint = endpointOf(pathname);
      const methods = endpoint ? permissions[endpoint] : undefined;
      if (!methods?.some((allowed) => allowed.toUpperCase() === method)) return undefined;
    }
    return key;
  }

  /**
   * The tenant a call is scoped to: the key's, else the header's, else the only tenant there is.
   * Undefined when it cannot be told (several tenants, a global key, no header).
   */
  tenantOf(req: IncomingMessage, key: ApiKeyOptions): string | undefined {
    const raw = req.headers['x-fusionauth-tenantid'];
    const header = Array.isArray(raw) ? raw[0] : raw;
    if (key.tenantId) {
      // A tenant-scoped key cannot be pointed at another tenant.
      if (header && header !== key.tenantId) throw new ApiError(401);
      return key.tenantId;
    }
    if (header) {
      if (!this.#state.tenant(header)) {
        throw ApiError.general(
          '[invalid]tenantId',
          `The X-FusionAuth-TenantId request header [${header}] is not the Id of a tenant.`,
        );
      }
      return header;
    }
    const tenants = this.#state.tenants();
    return tenants.length === 1 ? this.#state.defaultTenantId : undefined;
  }

  requireTenant(req: IncomingMessage, key: ApiKeyOptions): string {
    const tenantId = this.tenantOf(req, key);
    if (!tenantId) {
      throw ApiError.general(
        '[TenantIdRequired]',
        'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
      );
    }
    return tenantId;
  }
}
