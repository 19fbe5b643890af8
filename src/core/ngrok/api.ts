// The ngrok management API (https://api.ngrok.com, or NGROK_API_URL), on @ngrok/ngrok-api 0.11.0 with
// its known defects (https://github.com/ngrok/ngrok-api-typescript) wrapped here and nowhere else.
// Each is pinned by test/core/ngrok/api.test.ts:
//
//   1. `labels` typed as a Map serialises to {}      → backends are called with fetch.
//   2. every delete rejects with a SyntaxError on 204 → deletes are called with fetch.
//   3. list() pages with `beforeId=`, loops forever  → lists are paged with fetch (`before_id=`).
//   4. no endpoints.create                            → cloud endpoints are called with fetch.
//   5. errors are plain objects; a non-JSON body or a refused connection is a bare SyntaxError (and an
//      error body without `details` a TypeError)     → the client's HTTP layer (wretch) gets Node's fetch
//      through its own polyfill hook, bound to the call's AbortSignal and deadline; it records what
//      answered, so every failure becomes one sentence (core/http: errors.ts, request.ts) and nothing hangs.
//      Every body, on both paths, is read bounded (core/http/body-limit.ts): a huge answer is a sentence,
//      not gigabytes of memory.
//   6. module `replace` wraps the module              → modules are set with a route update instead.
//   7. (found here) the client renames the keys of every map it sends or receives (`X-Site` →
//      `_x-_site`, `my_label` → `myLabel`)            → routes are read and updated with fetch.
//
//   8. (found here) the client hands on whatever JSON came, typed as its models (`{"reserved_domains":"x"}`
//      or an item without an id reach the caller as they are) → every answer read, on both paths, is
//      checked against what this tool reads of it (ANSWERS below) before it is converted, and a wrong
//      type is a sentence naming the field.
//
// What the client does correctly (create/get of domains, edges, routes, IP policies and rules) goes
// through it. Both paths share the error mapping and THE retry policy (core/http/retry.ts): 429 waits for
// Retry-After, 5xx and dropped connections back off, on idempotent calls only (a create is retried by
// its caller, which looks for what the failed attempt may have made first).
import type { Ngrok, ReservedDomainCreate } from '@ngrok/ngrok-api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { UserError, isAbortError } from '../errors';
import {
  BodyTooLargeError,
  bool,
  boundedResponse,
  checkAnswer,
  fields,
  list,
  mapOf,
  notJson,
  num,
  text,
  type Shape,
} from '../http';
import { isDroppedConnection, networkError } from '../http';
import { NgrokApiError, ngrokFailure } from './errors';
import { checkedNgrokApiUrl } from './key';
import { retry, retryAfterMs } from '../http';

export const DEFAULT_NGROK_API_URL = 'https://api.ngrok.com';

// ---------------------------------------------------------------- the client's HTTP layer

interface Exchange {
  signal: AbortSignal;
  status?: number;
  retryAfter?: string | null;
  failure?: unknown;
}
const exchanges = new AsyncLocalStorage<Exchange>();

/** fetch for wretch: Node's, with the current call's signal, recording the answer or the failure. */
async function clientFetch(url: string, init: RequestInit): Promise<Response> {
  const exchange = exchanges.getStore();
  if (!exchange) return boundedResponse(await fetch(url, init), 'ngrok');
  try {
    const response = await fetch(url, { ...init, signal: exchange.signal });
    exchange.status = response.status;
    exchange.retryAfter = response.headers.get('retry-after');
    // Read here, bounded: the client would read it whole (body-limit.ts).
    return await boundedResponse(response, 'ngrok');
  } catch (error) {
    exchange.failure = error;
    throw error;
  }
}

// The client installs node-fetch (no timeout, no signal) as wretch's process-wide fetch when it is
// imported; wretch's `polyfills` is the documented way to replace it. The require is resolved from the
// client's own location so that it is the very wretch instance the client uses.
// The client is loaded on first use (it costs ~60 ms at startup otherwise), and the polyfill installed
// right after it, so that ours wins.
let clientModule: Promise<typeof import('@ngrok/ngrok-api')> | undefined;
function loadClient(): Promise<typeof import('@ngrok/ngrok-api')> {
  clientModule ??= import('@ngrok/ngrok-api').then((module) => {
    const wretch = createRequire(createRequire(import.meta.url).resolve('@ngrok/ngrok-api'))('wretch') as () => {
      polyfills(p: { fetch: typeof clientFetch }): unknown;
    };
    wretch().polyfills({ fetch: clientFetch });
    return module;
  });
  return clientModule;
}

/** The shape of the client's rejections for an HTTP error with a JSON body (defect 5). */
interface ClientErrorObject {
  statusCode: number;
  errorCode?: string;
  msg?: string;
}
const isClientErrorObject = (value: unknown): value is ClientErrorObject =>
  typeof value === 'object' &&
  value !== null &&
  !(value instanceof Error) &&
  typeof (value as ClientErrorObject).statusCode === 'number';

// ---------------------------------------------------------------- what callers get

export interface ReservedDomain {
  id: string;
  domain: string;
  metadata: string;
}
export interface RouteRef {
  id: string;
  matchType: string;
  match: string;
}
export interface Edge {
  id: string;
  hostports: string[];
  metadata: string;
  routes: RouteRef[];
}
export interface Backend {
  id: string;
  labels: Record<string, string>;
  metadata: string;
}
export interface OidcModule {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** Seconds; 0 = ngrok's default. */
  inactivityTimeout: number;
  maximumDuration: number;
}
export interface HeadersModule {
  add: Record<string, string>;
  remove: string[];
}
export interface Route extends RouteRef {
  edgeId: string;
  metadata: string;
  backendId?: string;
  oidc?: OidcModule;
  ipPolicyIds: string[];
  requestHeaders?: HeadersModule;
  responseHeaders?: HeadersModule;
}
/** The modules this tool sets on a route; `null` asks for the module to be removed. */
export interface RouteModules {
  backendId?: string;
  oidc?: OidcModule;
  ipPolicyIds?: string[] | null;
  requestHeaders?: HeadersModule | null;
  responseHeaders?: HeadersModule | null;
}
export interface CloudEndpoint {
  id: string;
  url: string;
  type: string;
  trafficPolicy: string;
  metadata: string;
}
export interface IpPolicy {
  id: string;
  metadata: string;
}
export interface IpPolicyRule {
  id: string;
  ipPolicyId: string;
  cidr: string;
  action: string;
}
export interface Vault {
  id: string;
  name: string;
  metadata: string;
}
export interface VaultSecret {
  id: string;
  name: string;
  vaultId: string;
  metadata: string;
}
export interface Labelled {
  description?: string;
  metadata?: string;
}

export interface NgrokApiOptions {
  apiKey: string;
  /** NGROK_API_URL; default https://api.ngrok.com. */
  baseUrl?: string;
  signal?: AbortSignal;
  /** Deadline of one request; default 15 s. */
  timeoutMs?: number;
  /** Attempts and first backoff of THE retry policy (tests shorten them). */
  attempts?: number;
  baseDelayMs?: number;
  /** The longest Retry-After worth waiting for; a longer one fails at once with the wait named. */
  maxRetryAfterMs?: number;
  /** Besides the API key, values never to show if ngrok echoes them in an error (the client secret). */
  secrets?: ReadonlyArray<string | undefined>;
}

type Json = Record<string, unknown>;
/** An id in a path: ids come from the store too, which a person may have edited. */
const seg = encodeURIComponent;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

// ---------------------------------------------------------------- the API

export class NgrokApi {
  readonly baseUrl: string;
  private client: Ngrok | undefined;
  private readonly options: NgrokApiOptions;

  constructor(options: NgrokApiOptions) {
    if (!options.apiKey.trim()) throw new UserError('The ngrok API key is empty.');
    this.options = options;
    this.baseUrl = checkedNgrokApiUrl(options.baseUrl || DEFAULT_NGROK_API_URL).replace(/\/+$/, '');
  }

  /** Checks the key with the cheapest call there is; throws the sentence for 401 / ERR_NGROK_207. */
  async checkKey(): Promise<void> {
    await this.call(RESERVED_DOMAIN_PAGE, 'GET', '/reserved_domains?limit=1', 'checking the API key');
  }

  // ---- reserved domains
  listReservedDomains = () =>
    this.list(
      '/reserved_domains',
      'reserved_domains',
      'listing your reserved domains',
      ANSWERS.reservedDomain,
      reservedDomainFrom,
    );
  getReservedDomain = (id: string) =>
    this.viaClient(`reading the reserved domain ${id}`, true, ANSWERS.reservedDomain, (c) =>
      c.reservedDomains.get(seg(id)),
    ).then(reservedDomainFrom);
  createReservedDomain = (domain: string | undefined, labels: Labelled) =>
    this.viaClient(`reserving ${domain ?? 'a domain'}`, false, ANSWERS.reservedDomain, (c) =>
      // The client's type makes `domain` and `region` required; the API does not (no domain: a random name).
      c.reservedDomains.create({ ...(domain ? { domain } : {}), ...labels } as ReservedDomainCreate),
    ).then(reservedDomainFrom);
  deleteReservedDomain = (id: string) =>
    this.remove(`/reserved_domains/${seg(id)}`, `deleting the reserved domain ${id}`);

  // ---- HTTPS edges (the guide's flow; retired for new accounts, ERR_NGROK_7008)
  listEdges = () => this.list('/edges/https', 'https_edges', 'listing your HTTPS edges', ANSWERS.edge, edgeFrom);
  getEdge = (id: string) =>
    this.viaClient(`reading the edge ${id}`, true, ANSWERS.edge, (c) => c.edges.edgesHttps.get(seg(id))).then(edgeFrom);
  createEdge = (hostports: string[], labels: Labelled) =>
    this.viaClient('creating the HTTPS edge', false, ANSWERS.edge, (c) =>
      c.edges.edgesHttps.create({ hostports, ...labels }),
    ).then(edgeFrom);
  updateEdgeHostports = (id: string, hostports: string[]) =>
    this.viaClient(`moving the edge ${id} to ${hostports.join(', ')}`, true, ANSWERS.edge, (c) =>
      c.edges.edgesHttps.update({ id, hostports }),
    ).then(edgeFrom);
  deleteEdge = (id: string) => this.remove(`/edges/https/${seg(id)}`, `deleting the edge ${id}`);

  // ---- tunnel group backends (defect 1: fetch)
  listTunnelGroupBackends = () =>
    this.list('/backends/tunnel_group', 'backends', 'listing your tunnel group backends', ANSWERS.backend, backendFrom);
  getTunnelGroupBackend = async (id: string) =>
    backendFrom(
      await this.call(ANSWERS.backend, 'GET', `/backends/tunnel_group/${seg(id)}`, `reading the backend ${id}`),
    );
  createTunnelGroupBackend = async (labels: Record<string, string>, extra: Labelled) =>
    backendFrom(
      await this.call(ANSWERS.backend, 'POST', '/backends/tunnel_group', 'creating the tunnel group backend', {
        labels,
        ...extra,
      }),
    );
  updateTunnelGroupBackend = async (id: string, labels: Record<string, string>) =>
    backendFrom(
      await this.call(ANSWERS.backend, 'PATCH', `/backends/tunnel_group/${seg(id)}`, `relabelling the backend ${id}`, {
        labels,
      }),
    );
  deleteTunnelGroupBackend = (id: string) =>
    this.remove(`/backends/tunnel_group/${seg(id)}`, `deleting the backend ${id}`);

  // ---- edge routes: created through the client (no maps), read and updated with fetch (defects 6, 7)
  createRoute = (
    edgeId: string,
    route: {
      matchType: 'path_prefix' | 'exact_path';
      match: string;
      backendId: string;
      oidc: OidcModule;
      ipPolicyIds?: string[];
    } & Labelled,
  ) =>
    this.viaClient(`creating the route ${route.match} on ${edgeId}`, false, ANSWERS.createdRoute, (c) =>
      c.edges.edgesHttpsRoutes.create({
        edgeId,
        matchType: route.matchType,
        match: route.match,
        description: route.description,
        metadata: route.metadata,
        backend: { enabled: true, backendId: route.backendId },
        oidc: { enabled: true, optionsPassthrough: false, cookiePrefix: '', ...route.oidc },
        ...(route.ipPolicyIds?.length ? { ipRestriction: { enabled: true, ipPolicyIds: route.ipPolicyIds } } : {}),
      }),
    ).then((created) => ({ id: str(created.id), metadata: str(created.metadata) }));
  getRoute = async (edgeId: string, id: string) =>
    routeFrom(
      await this.call(ANSWERS.route, 'GET', `/edges/https/${seg(edgeId)}/routes/${seg(id)}`, `reading the route ${id}`),
    );
  /** Sets the modules given (documented shape, one PATCH); removes those given as null. */
  async updateRoute(edgeId: string, id: string, modules: RouteModules): Promise<void> {
    const body: Json = {};
    if (modules.backendId !== undefined) body.backend = { enabled: true, backend_id: modules.backendId };
    if (modules.oidc !== undefined) body.oidc = oidcBody(modules.oidc);
    if (modules.ipPolicyIds) body.ip_restriction = { enabled: true, ip_policy_ids: modules.ipPolicyIds };
    if (modules.requestHeaders) body.request_headers = { enabled: true, ...modules.requestHeaders };
    if (modules.responseHeaders) body.response_headers = { enabled: true, ...modules.responseHeaders };
    if (Object.keys(body).length)
      await this.send('PATCH', `/edges/https/${seg(edgeId)}/routes/${seg(id)}`, `updating the route ${id}`, body);
    const removals: Array<[keyof RouteModules, string]> = [
      ['ipPolicyIds', 'ip_restriction'],
      ['requestHeaders', 'request_headers'],
      ['responseHeaders', 'response_headers'],
    ];
    for (const [key, module] of removals) {
      if (modules[key] === null)
        await this.remove(
          `/edges/https/${seg(edgeId)}/routes/${seg(id)}/${module}`,
          `removing the ${module} module of the route ${id}`,
        );
    }
  }
  deleteRoute = (edgeId: string, id: string) =>
    this.remove(`/edges/https/${seg(edgeId)}/routes/${seg(id)}`, `deleting the route ${id}`);

  // ---- cloud endpoints (defect 4: fetch)
  listEndpoints = () => this.list('/endpoints', 'endpoints', 'listing your endpoints', ANSWERS.endpoint, endpointFrom);
  getEndpoint = async (id: string) =>
    endpointFrom(await this.call(ANSWERS.endpoint, 'GET', `/endpoints/${seg(id)}`, `reading the endpoint ${id}`));
  createCloudEndpoint = async (url: string, trafficPolicy: string, extra: Labelled) =>
    endpointFrom(
      await this.call(ANSWERS.endpoint, 'POST', '/endpoints', `creating the cloud endpoint ${url}`, {
        type: 'cloud',
        url,
        traffic_policy: trafficPolicy,
        ...extra,
      }),
    );
  updateEndpoint = async (id: string, change: { url?: string; trafficPolicy?: string }) =>
    endpointFrom(
      await this.call(ANSWERS.endpoint, 'PATCH', `/endpoints/${seg(id)}`, `updating the endpoint ${id}`, {
        ...(change.url ? { url: change.url } : {}),
        ...(change.trafficPolicy !== undefined ? { traffic_policy: change.trafficPolicy } : {}),
      }),
    );
  deleteEndpoint = (id: string) => this.remove(`/endpoints/${seg(id)}`, `deleting the endpoint ${id}`);

  // ---- IP policies and rules
  listIpPolicies = () =>
    this.list('/ip_policies', 'ip_policies', 'listing your IP policies', ANSWERS.ipPolicy, ipPolicyFrom);
  getIpPolicy = (id: string) =>
    this.viaClient(`reading the IP policy ${id}`, true, ANSWERS.ipPolicy, (c) => c.ipPolicies.get(seg(id))).then(
      ipPolicyFrom,
    );
  createIpPolicy = (labels: Labelled) =>
    this.viaClient('creating the IP policy', false, ANSWERS.ipPolicy, (c) => c.ipPolicies.create(labels)).then(
      ipPolicyFrom,
    );
  deleteIpPolicy = (id: string) => this.remove(`/ip_policies/${seg(id)}`, `deleting the IP policy ${id}`);
  listIpPolicyRules = () =>
    this.list(
      '/ip_policy_rules',
      'ip_policy_rules',
      'listing your IP policy rules',
      ANSWERS.ipPolicyRule,
      ipPolicyRuleFrom,
    );
  createIpPolicyRule = (ipPolicyId: string, cidr: string, labels: Labelled) =>
    this.viaClient(`adding ${cidr} to the IP policy`, false, ANSWERS.ipPolicyRule, (c) =>
      c.ipPolicyRules.create({ ipPolicyId, cidr, action: 'allow', ...labels }),
    ).then(ipPolicyRuleFrom);
  deleteIpPolicyRule = (id: string) => this.remove(`/ip_policy_rules/${seg(id)}`, `deleting the IP policy rule ${id}`);

  // ---- vaults and their secrets (not in @ngrok/ngrok-api 0.11.0: fetch). Paths and bodies as ngrok's
  // OpenAPI spec gives them (/vaults, /vault_secrets; VaultCreate, SecretCreate, SecretUpdate). A secret's
  // value goes in and never comes back: "The ngrok API never returns secret values in response payloads"
  // (https://ngrok.com/docs/traffic-policy/secrets/).
  listVaults = () => this.list('/vaults', 'vaults', 'listing your vaults', ANSWERS.vault, vaultFrom);
  getVault = async (id: string) =>
    vaultFrom(await this.call(ANSWERS.vault, 'GET', `/vaults/${seg(id)}`, `reading the vault ${id}`));
  createVault = async (name: string, labels: Labelled) =>
    vaultFrom(await this.call(ANSWERS.vault, 'POST', '/vaults', `creating the vault ${name}`, { name, ...labels }));
  deleteVault = (id: string) => this.remove(`/vaults/${seg(id)}`, `deleting the vault ${id}`);
  listVaultSecrets = () =>
    this.list('/vault_secrets', 'secrets', 'listing your vault secrets', ANSWERS.vaultSecret, vaultSecretFrom);
  getVaultSecret = async (id: string) =>
    vaultSecretFrom(
      await this.call(ANSWERS.vaultSecret, 'GET', `/vault_secrets/${seg(id)}`, `reading the vault secret ${id}`),
    );
  createVaultSecret = async (vaultId: string, name: string, value: string, labels: Labelled) =>
    vaultSecretFrom(
      await this.call(ANSWERS.vaultSecret, 'POST', '/vault_secrets', `storing the secret ${name} in the vault`, {
        vault_id: vaultId,
        name,
        value,
        ...labels,
      }),
    );
  /** PATCH is idempotent: the same value sent twice leaves the same secret, so it is retried like a read. */
  setVaultSecretValue = async (id: string, value: string) =>
    vaultSecretFrom(
      await this.call(ANSWERS.vaultSecret, 'PATCH', `/vault_secrets/${seg(id)}`, `updating the vault secret ${id}`, {
        value,
      }),
    );
  deleteVaultSecret = (id: string) => this.remove(`/vault_secrets/${seg(id)}`, `deleting the vault secret ${id}`);

  /**
   * Runs a find-or-create under THE retry policy, for 5xx and dropped connections: a create that
   * failed that way may still have happened, so each new attempt looks before it creates again.
   */
  retrying<T>(run: () => Promise<T>): Promise<T> {
    return retry(run, { ...this.retryShape(), retryAfter: (error) => (isTransient(error) ? 0 : undefined) });
  }

  // ---------------------------------------------------------------- plumbing

  private retryShape() {
    return { signal: this.options.signal, attempts: this.options.attempts, baseMs: this.options.baseDelayMs };
  }

  /** 429 is always retried (ngrok refused before doing anything), the rest only when idempotent. */
  private retryAfter(idempotent: boolean) {
    const longest = this.options.maxRetryAfterMs ?? 60_000;
    return (error: unknown): number | undefined => {
      if (error instanceof NgrokApiError && error.status === 429) {
        const wait = error.retryAfterMs ?? 1000;
        return wait <= longest ? wait : undefined;
      }
      return idempotent && isTransient(error) ? 0 : undefined;
    };
  }

  private deadline(): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    return this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
  }

  private secrets(): Array<string | undefined> {
    return [this.options.apiKey, ...(this.options.secrets ?? [])];
  }

  private unreached(url: string, error: unknown): unknown {
    if (this.options.signal?.aborted) return this.options.signal.reason ?? error;
    const base = networkError(url, error, this.options.timeoutMs ?? 15_000);
    const hint =
      this.baseUrl === DEFAULT_NGROK_API_URL
        ? base.hint
        : `${base.hint} (The ngrok API URL comes from NGROK_API_URL: ${this.baseUrl}.)`;
    return new TransportError(base.message, hint, !isAbortError(error) && isDroppedConnection(error), error);
  }

  /** One request with fetch; JSON or nothing back, any failure as a sentence. */
  private async send(method: Method, path: string, action: string, body?: Json): Promise<Json> {
    const idempotent = method !== 'POST';
    return retry(() => this.sendOnce(method, path, action, body), {
      ...this.retryShape(),
      retryAfter: this.retryAfter(idempotent),
    });
  }

  private async sendOnce(method: Method, path: string, action: string, body?: Json): Promise<Json> {
    const url = `${this.baseUrl}${path}`;
    const signal = this.deadline();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey.trim()}`,
          'ngrok-version': '2',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal,
      });
      text = await (await boundedResponse(response, 'ngrok')).text();
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw error;
      throw this.unreached(url, error);
    }
    if (response.status === 204 || (response.ok && text.trim() === '')) return {};
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const failure = notJson('ngrok', action, response.status);
      throw new TransportError(failure.message, failure.hint, response.status >= 500);
    }
    if (!response.ok) {
      const error = json as { error_code?: string; msg?: string };
      throw ngrokFailure({
        action,
        status: response.status,
        code: error.error_code,
        msg: error.msg,
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
        secrets: this.secrets(),
      });
    }
    if (typeof json !== 'object' || json === null) throw notJson('ngrok', action, response.status);
    return json as Json;
  }

  /** One request whose answer is read: checked against its shape before it is converted (http/shape.ts). */
  private async call(answer: Shape, method: Method, path: string, action: string, body?: Json): Promise<Json> {
    return this.checked(await this.send(method, path, action, body), answer, action);
  }

  /** `raw`, once it has the shape; else the sentence naming the field. Not retried: the same answer would come again. */
  private checked(raw: unknown, answer: Shape, action: string): Json {
    const hint = `Check that ${this.baseUrl} is ngrok's API${this.baseUrl === DEFAULT_NGROK_API_URL ? '' : ' (NGROK_API_URL points there)'}, not a proxy or another server.`;
    checkAnswer(raw, answer, { service: 'ngrok', action, hint });
    return raw as Json;
  }

  private async remove(path: string, action: string): Promise<void> {
    await this.send('DELETE', path, action);
  }

  /** Every page, following `before_id` (defect 3), refusing a list that does not advance. */
  private async list<T>(
    path: string,
    key: string,
    action: string,
    item: Shape,
    convert: (raw: Json) => T,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    const pageShape = fields({ [key]: list(item), next_page_uri: text }, [key]);
    let query = new URLSearchParams({ limit: '100' });
    for (;;) {
      const page = await this.call(pageShape, 'GET', `${path}?${query}`, action);
      items.push(...(page[key] as Json[]).map(convert));
      const next = typeof page.next_page_uri === 'string' ? page.next_page_uri : undefined;
      if (!next) return items;
      query = new URL(next, `${this.baseUrl}/`).searchParams;
      const before = query.get('before_id');
      if (!before || seen.has(before))
        throw new UserError(`ngrok's list kept answering the same page while ${action}.`, {
          hint: "Try again; if it persists, ngrok's API is misbehaving.",
        });
      seen.add(before);
    }
  }

  /**
   * A call through the client, its failures explained from what clientFetch recorded (defect 5), its
   * answer (the client's object, camelCase keys) checked against `answer` before it is converted.
   */
  private viaClient(
    action: string,
    idempotent: boolean,
    answer: Shape,
    run: (client: Ngrok) => Promise<unknown>,
  ): Promise<Json> {
    return retry(
      async () => {
        const exchange: Exchange = { signal: this.deadline() };
        let raw: unknown;
        try {
          this.client ??= new (await loadClient()).Ngrok({
            apiToken: this.options.apiKey.trim(),
            baseUrl: this.baseUrl,
          });
          const client = this.client;
          raw = await exchanges.run(exchange, () => run(client));
        } catch (error) {
          throw this.explain(error, exchange, action);
        }
        return this.checked(raw, answer, action);
      },
      { ...this.retryShape(), retryAfter: this.retryAfter(idempotent) },
    );
  }

  private explain(error: unknown, exchange: Exchange, action: string): unknown {
    if (this.options.signal?.aborted) return this.options.signal.reason ?? error;
    if (exchange.failure instanceof BodyTooLargeError) return exchange.failure;
    // No answer, or the deadline passed while the body was read: the client shows either as a SyntaxError.
    if (exchange.failure !== undefined) return this.unreached(`${this.baseUrl}/`, exchange.failure);
    if (exchange.signal.aborted) return this.unreached(`${this.baseUrl}/`, exchange.signal.reason);
    if (isClientErrorObject(error)) {
      return ngrokFailure({
        action,
        status: error.statusCode,
        code: error.errorCode,
        msg: error.msg,
        retryAfterMs: retryAfterMs(exchange.retryAfter),
        secrets: this.secrets(),
      });
    }
    if (error instanceof SyntaxError && exchange.status !== undefined) {
      const failure = notJson('ngrok', action, exchange.status);
      return new TransportError(failure.message, failure.hint, exchange.status >= 500);
    }
    // An error body the client trips over (one without `details`: a TypeError in its onRejected).
    if (exchange.status !== undefined && exchange.status >= 400) {
      return ngrokFailure({
        action,
        status: exchange.status,
        retryAfterMs: retryAfterMs(exchange.retryAfter),
        secrets: this.secrets(),
      });
    }
    return error;
  }
}

/** No usable answer (no connection, no JSON); `transient` when another try may work. A sentence for the user. */
class TransportError extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly transient: boolean,
    cause?: unknown,
  ) {
    super(message, { hint, cause });
    this.name = 'NgrokTransportError';
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof NgrokApiError) return error.status >= 500;
  return error instanceof TransportError && error.transient;
}

/** A reset or dropped connection may succeed next time; a refused one or a bad name will not. */
// ---------------------------------------------------------------- answer shapes

// What this tool reads of each resource, with the types of ngrok's API reference
// (shared/reference/ngrok-openapi.yaml; https://ngrok.com/docs/api/), checked before any conversion.
// The client's objects carry camelCase keys, the wire snake_case: a two-word field is listed both ways.
// Every resource needs its id: that is what the store keeps and later calls act on.
const idOnly = fields({ id: text }, ['id']);
const headersModule = fields({ enabled: bool, add: mapOf(text), remove: list(text) });
const ANSWERS = {
  reservedDomain: fields({ id: text, domain: text, metadata: text }, ['id']),
  edge: fields(
    {
      id: text,
      hostports: list(text),
      metadata: text,
      routes: list(fields({ id: text, match_type: text, matchType: text, match: text }, ['id'])),
    },
    ['id'],
  ),
  backend: fields({ id: text, labels: mapOf(text), metadata: text }, ['id']),
  createdRoute: fields({ id: text, metadata: text }, ['id']),
  route: fields(
    {
      id: text,
      edge_id: text,
      match_type: text,
      match: text,
      metadata: text,
      backend: fields({ enabled: bool, backend: idOnly }),
      oidc: fields({
        enabled: bool,
        issuer: text,
        client_id: text,
        client_secret: text,
        scopes: list(text),
        inactivity_timeout: num,
        maximum_duration: num,
      }),
      ip_restriction: fields({ enabled: bool, ip_policies: list(idOnly) }),
      request_headers: headersModule,
      response_headers: headersModule,
    },
    ['id'],
  ),
  endpoint: fields({ id: text, url: text, type: text, traffic_policy: text, metadata: text }, ['id']),
  ipPolicy: fields({ id: text, metadata: text }, ['id']),
  vault: fields({ id: text, name: text, metadata: text }, ['id']),
  vaultSecret: fields({ id: text, name: text, metadata: text, vault: idOnly }, ['id']),
  ipPolicyRule: fields({ id: text, ip_policy: idOnly, ipPolicy: idOnly, cidr: text, action: text }, ['id']),
} satisfies Record<string, Shape>;
const RESERVED_DOMAIN_PAGE = fields({ reserved_domains: list(ANSWERS.reservedDomain) }, ['reserved_domains']);

// ---------------------------------------------------------------- conversions (snake JSON or the client's camelCase)

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const stringMap = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(obj(value) ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
/** The client's objects have camelCase keys, the wire has snake_case: read either. */
const field = (raw: Json, snake: string): unknown =>
  raw[snake] ?? raw[snake.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())];

function reservedDomainFrom(raw: object): ReservedDomain {
  const r = raw as Json;
  return { id: str(r.id), domain: str(r.domain), metadata: str(r.metadata) };
}

function edgeFrom(raw: object): Edge {
  const r = raw as Json;
  const routes = Array.isArray(r.routes) ? r.routes.map((x) => obj(x) ?? {}) : [];
  return {
    id: str(r.id),
    hostports: strings(r.hostports),
    metadata: str(r.metadata),
    routes: routes.map((route) => ({
      id: str(route.id),
      matchType: str(field(route, 'match_type')),
      match: str(route.match),
    })),
  };
}

function backendFrom(raw: Json): Backend {
  return { id: str(raw.id), labels: stringMap(raw.labels), metadata: str(raw.metadata) };
}

function headersFrom(raw: unknown): HeadersModule | undefined {
  const m = obj(raw);
  if (!m || m.enabled === false) return undefined;
  return { add: stringMap(m.add), remove: strings(m.remove) };
}

function routeFrom(raw: Json): Route {
  const backend = obj(raw.backend);
  const oidc = obj(raw.oidc);
  const ip = obj(raw.ip_restriction);
  return {
    id: str(raw.id),
    edgeId: str(raw.edge_id),
    matchType: str(raw.match_type),
    match: str(raw.match),
    metadata: str(raw.metadata),
    backendId: backend && backend.enabled !== false ? str(obj(backend.backend)?.id) || undefined : undefined,
    oidc:
      oidc && oidc.enabled !== false
        ? {
            issuer: str(oidc.issuer),
            clientId: str(oidc.client_id),
            clientSecret: str(oidc.client_secret),
            scopes: strings(oidc.scopes),
            inactivityTimeout: Number(oidc.inactivity_timeout ?? 0),
            maximumDuration: Number(oidc.maximum_duration ?? 0),
          }
        : undefined,
    ipPolicyIds:
      ip && ip.enabled !== false && Array.isArray(ip.ip_policies) ? ip.ip_policies.map((p) => str(obj(p)?.id)) : [],
    requestHeaders: headersFrom(raw.request_headers),
    responseHeaders: headersFrom(raw.response_headers),
  };
}

function oidcBody(m: OidcModule): Json {
  return {
    enabled: true,
    options_passthrough: false,
    cookie_prefix: '',
    inactivity_timeout: m.inactivityTimeout,
    maximum_duration: m.maximumDuration,
    issuer: m.issuer,
    client_id: m.clientId,
    client_secret: m.clientSecret,
    scopes: m.scopes,
  };
}

function endpointFrom(raw: Json): CloudEndpoint {
  return {
    id: str(raw.id),
    url: str(raw.url),
    type: str(raw.type),
    trafficPolicy: str(raw.traffic_policy),
    metadata: str(raw.metadata),
  };
}

function ipPolicyFrom(raw: object): IpPolicy {
  const r = raw as Json;
  return { id: str(r.id), metadata: str(r.metadata) };
}

function ipPolicyRuleFrom(raw: object): IpPolicyRule {
  const r = raw as Json;
  return { id: str(r.id), ipPolicyId: str(obj(field(r, 'ip_policy'))?.id), cidr: str(r.cidr), action: str(r.action) };
}

function vaultFrom(raw: Json): Vault {
  return { id: str(raw.id), name: str(raw.name), metadata: str(raw.metadata) };
}

function vaultSecretFrom(raw: Json): VaultSecret {
  return { id: str(raw.id), name: str(raw.name), vaultId: str(obj(raw.vault)?.id), metadata: str(raw.metadata) };
}
