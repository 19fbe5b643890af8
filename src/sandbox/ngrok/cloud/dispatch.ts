// Routes a public request the way ngrok's edge does: to the HTTPS edge on the hostname (route by path,
// then its modules, then the tunnel group backend), else to one endpoint of the hostname's pool: a
// cloud endpoint (its traffic policy decides) or an agent endpoint (the agent's policy, then the agent).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { addHeader, removeHeader } from '../header-rules';
import { cloudEndpointsForHost, edgeForHost } from '../hosts';
import { CidrSet, ipAllowed } from '../ip';
import type { CloudEndpoint, HttpsEdge, HttpsEdgeRoute, OidcModule } from '../model';
import { parsePolicy, type Action, type OidcConfig, type Policy } from '../policy/parse';
import type { OnlineTunnel, Registry } from '../registry';
import type { Account } from '../state';
import { celRequest, templateContext, type Exchange } from './exchange';
import { forwardToAgent } from './forward';
import type { OidcGate, OidcSettings } from './oidc';
import { pages, sendPage } from './pages';

type Next = () => Promise<void>;
type PoolMember = { endpoint: CloudEndpoint } | { tunnel: OnlineTunnel };

export class Dispatcher {
  private readonly policies = new Map<string, Policy>();

  constructor(
    private readonly account: Account,
    private readonly registry: Registry,
    private readonly gate: OidcGate,
  ) {}

  async handle(ex: Exchange): Promise<void> {
    const url = `https://${ex.host}`;
    const edge = edgeForHost(this.account, ex.host);
    if (edge) return this.serveEdge(edge, ex);
    const picked = this.pickEndpoint(ex.host);
    if (!picked) return sendPage(ex.res, pages.endpointOffline(url));
    return this.serveEndpoint(picked, ex);
  }

  /**
   * One endpoint of the pool on a hostname, cloud or agent: "Traffic to pooled URLs is load balanced
   * among the endpoints in the pool", for public traffic and for `forward-internal` alike
   * (https://ngrok.com/docs/endpoints/endpoint-pooling/, "Load balancing"). Round robin here.
   */
  private pickEndpoint(host: string): PoolMember | undefined {
    const pool: PoolMember[] = [
      ...cloudEndpointsForHost(this.account, host).map((endpoint) => ({ endpoint })),
      ...this.registry.byHost(host).map((tunnel) => ({ tunnel })),
    ];
    return this.registry.pick(host, pool);
  }

  /** A cloud endpoint's policy must end the request; an agent endpoint's policy, if any, then the agent. */
  private async serveEndpoint(member: PoolMember, ex: Exchange): Promise<void> {
    if ('endpoint' in member) {
      const { endpoint } = member;
      return this.runPolicy(this.policy(endpoint.traffic_policy), ex, async () =>
        sendPage(ex.res, pages.nonTerminating(endpoint.id)),
      );
    }
    const forward = async () => this.forward(ex, member.tunnel);
    return member.tunnel.policy ? this.runPolicy(member.tunnel.policy, ex, forward) : forward();
  }

  private policy(text: string): Policy {
    let policy = this.policies.get(text);
    if (!policy) {
      policy = parsePolicy(text);
      this.policies.set(text, policy);
    }
    return policy;
  }

  private forward(ex: Exchange, tunnel: OnlineTunnel | undefined): void {
    const session = tunnel && this.registry.session(tunnel.sessionId);
    if (!tunnel || !session) return sendPage(ex.res, pages.endpointOffline(`https://${ex.host}`));
    forwardToAgent(ex, session, tunnel);
  }

  // ---- edges

  private async serveEdge(edge: HttpsEdge, ex: Exchange): Promise<void> {
    const route = matchRoute(edge.routes, ex.url.pathname);
    if (!route) return sendPage(ex.res, pages.noRoute(`https://${ex.host}`));
    if (route.ip_restriction?.enabled) {
      const ids = route.ip_restriction.ip_policies.map((p) => p.id);
      if (!this.ipCheck(ex, [], [], ids)) return sendPage(ex.res, pages.ipDenied(ex.clientIp));
    }
    if (route.oidc?.enabled) {
      const result = await this.gate.enforce(ex, moduleSettings(route.oidc));
      if (!result.pass) return;
      ex.identity = result.identity;
    }
    if (route.request_headers?.enabled)
      applyHeaderEdits(ex.headers, route.request_headers.add, route.request_headers.remove);
    if (route.response_headers?.enabled) {
      const { add, remove } = route.response_headers;
      ex.responseOps.push((headers) => applyHeaderEdits(headers, add, remove));
    }
    const toBackend = async () => {
      const backendId = route.backend?.enabled ? route.backend.backend.id : undefined;
      const backend = backendId ? this.account.tunnelGroupBackends.get(backendId) : undefined;
      if (!backend) return sendPage(ex.res, pages.noBackend(`https://${ex.host}`));
      this.forward(ex, this.registry.pick(backend.id, this.registry.byLabels(backend.labels)));
    };
    if (route.traffic_policy?.enabled) return this.runPolicy(this.policy(route.traffic_policy.value), ex, toBackend);
    return toBackend();
  }

  // ---- traffic policy

  private async runPolicy(policy: Policy, ex: Exchange, otherwise: Next): Promise<void> {
    const req = celRequest(ex);
    for (const rule of policy.onHttpResponse) {
      if (!rule.expressions.every((p) => p(req))) continue;
      for (const action of rule.actions) ex.responseOps.push((headers) => this.responseAction(action, ex, headers));
    }
    for (const rule of policy.onHttpRequest) {
      if (!rule.expressions.every((p) => p(req))) continue;
      for (const action of rule.actions) {
        const outcome = await this.requestAction(action, ex);
        if (outcome === 'done') return;
      }
    }
    return otherwise();
  }

  private async requestAction(action: Action, ex: Exchange): Promise<'continue' | 'done'> {
    switch (action.type) {
      case 'openid-connect': {
        const settings = this.withSecret(actionSettings(action.oidc), action.oidc);
        if (!settings) {
          sendPage(ex.res, pages.secretMissing(action.oidc.clientSecretRef!));
          return 'done';
        }
        const result = await this.gate.enforce(ex, settings);
        if (!result.pass) return 'done';
        ex.identity = result.identity;
        return 'continue';
      }
      case 'restrict-ips':
        if (this.ipCheck(ex, action.allow, action.deny, action.ipPolicies) || !action.enforce) return 'continue';
        sendPage(ex.res, pages.ipDenied(ex.clientIp));
        return 'done';
      case 'add-headers': {
        const ctx = templateContext(ex);
        for (const [name, value] of action.headers) addHeader(ex.headers, name, value(ctx));
        return 'continue';
      }
      case 'remove-headers':
        for (const name of action.headers) removeHeader(ex.headers, name);
        return 'continue';
      case 'custom-response': {
        const ctx = templateContext(ex);
        const body = action.body(ctx);
        const headers: OutgoingHttpHeaders = Object.fromEntries(action.headers.map(([k, v]) => [k, v(ctx)]));
        headers['content-type'] ??= body.trimStart().startsWith('<') ? 'text/html' : 'text/plain';
        headers['content-length'] = Buffer.byteLength(body);
        ex.res.writeHead(action.status, headers).end(body);
        return 'done';
      }
      case 'deny':
        ex.res.writeHead(action.status, { 'content-length': 0 }).end();
        return 'done';
      case 'forward-internal': {
        // The internal endpoint, cloud or agent, then handles the request with its own policy, as on ngrok.
        const internal = this.pickEndpoint(action.host);
        if (!internal && action.onError === 'continue') return 'continue';
        if (!internal) {
          sendPage(ex.res, pages.endpointOffline(action.url));
          return 'done';
        }
        await this.serveEndpoint(internal, ex);
        return 'done';
      }
    }
  }

  private responseAction(action: Action, ex: Exchange, headers: OutgoingHttpHeaders): void {
    if (action.type === 'add-headers') {
      const ctx = templateContext(ex);
      for (const [name, value] of action.headers) addHeader(headers, name, value(ctx));
    } else if (action.type === 'remove-headers') {
      for (const name of action.headers) removeHeader(headers, name);
    }
  }

  /**
   * The client secret a `${secrets.get(vault, name)}` names, read when the request is served: "the
   * value is evaluated at runtime" and "When you update a secret in a vault, it automatically rotates
   * across all Traffic Policies that reference it" (https://ngrok.com/docs/traffic-policy/secrets/).
   * Undefined when the vault or the secret is not there.
   */
  private withSecret(settings: OidcSettings, config: OidcConfig): OidcSettings | undefined {
    const ref = config.clientSecretRef;
    if (!ref) return settings;
    const value = this.account.secretValue(ref.vault, ref.name);
    return value === undefined ? undefined : { ...settings, clientSecret: value };
  }

  private ipCheck(ex: Exchange, allow: string[], deny: string[], policyIds: string[]): boolean {
    const allowSet = new CidrSet(allow);
    const denySet = new CidrSet(deny);
    for (const rule of this.account.ipPolicyRules.values()) {
      if (!policyIds.includes(rule.ip_policy.id)) continue;
      (rule.action === 'allow' ? allowSet : denySet).add(rule.cidr);
    }
    // An IP restriction naming only empty policies admits nobody: ngrok needs an allow rule to match.
    if (allowSet.empty && denySet.empty && policyIds.length > 0) return false;
    return ipAllowed(ex.clientIp, allowSet, denySet);
  }
}

function matchRoute(routes: HttpsEdgeRoute[], path: string): HttpsEdgeRoute | undefined {
  const exact = routes.find((r) => r.match_type === 'exact_path' && r.match === path);
  if (exact) return exact;
  return routes
    .filter((r) => r.match_type === 'path_prefix' && path.startsWith(r.match))
    .sort((a, b) => b.match.length - a.match.length)[0];
}

/** A headers module: removals first, then additions, so a removed-and-added header is replaced (its page's "Replacing Header Values"). */
function applyHeaderEdits(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  add: Record<string, string>,
  remove: string[],
): void {
  for (const name of remove) removeHeader(headers, name);
  for (const [name, value] of Object.entries(add)) addHeader(headers, name, value);
}

function moduleSettings(m: OidcModule): OidcSettings {
  return {
    issuer: m.issuer,
    clientId: m.client_id,
    clientSecret: m.client_secret,
    scopes: m.scopes,
    cookiePrefix: m.cookie_prefix,
    idleMs: m.inactivity_timeout ? m.inactivity_timeout * 1000 : undefined,
    maxMs: m.maximum_duration ? m.maximum_duration * 1000 : undefined,
    allowPreflight: m.options_passthrough,
    authzUrlParams: {},
  };
}

function actionSettings(c: OidcConfig): OidcSettings {
  return {
    issuer: c.issuerUrl,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    scopes: c.scopes,
    cookiePrefix: '',
    idleMs: c.idleSessionMs,
    maxMs: c.maxSessionMs,
    allowPreflight: c.allowCorsPreflight,
    authzUrlParams: c.authzUrlParams,
    authId: c.authId,
  };
}
