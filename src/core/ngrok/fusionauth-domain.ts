// FusionAuth on localhost, published through ngrok: the second domain of the account, on which an
// agent endpoint forwards to the local FusionAuth (core/agent/command.ts, fusionauthPublisherArgs).
// ngrok's cloud fetches the issuer's discovery document itself and sends visitors to its login page,
// so a FusionAuth on localhost:9011 or a private address works only through a public URL like this.
//
// Why a second domain: the site's endpoint holds the first one, and one hostname is one endpoint (or
// one pool of the same upstream: https://ngrok.com/docs/universal-gateway/endpoint-pooling). Reserving
// one needs a paid plan: "Only accounts on paid plans can reserve domains" (ERR_NGROK_401,
// https://ngrok.com/docs/errors/err_ngrok_401); the Free plan has "1 auto-assigned dev domain (cannot
// be customized)" (https://ngrok.com/docs/pricing-limits/free-plan-limits/), which the site uses.
import YAML from 'yaml';
import { UserError } from '../errors';
import { finding, type Finding } from '../findings';
import type { Store } from '../store';
import type { NgrokApi, ReservedDomain } from './api';
import { isNgrokApiError } from './errors';
import { TOOL, findOrCreate, mark, whose, type Answers } from './ownership';

/** The tag in the mark's `domain` field: this tool's, and the FusionAuth one, not the site's. */
export const FUSIONAUTH_MARK = 'fusionauth';

/** The role of FusionAuth's domain among the setup's `ngrok-reserved-domain` objects (the site's has none). */
export const FUSIONAUTH_DOMAIN_ROLE = 'fusionauth';

/** Marked by this tool (any setup) as a FusionAuth domain. */
function markedForFusionAuth(d: ReservedDomain): boolean {
  try {
    const m = JSON.parse(d.metadata ?? '') as { created_by?: unknown; domain?: unknown } | null;
    return m?.created_by === TOOL && m.domain === FUSIONAUTH_MARK;
  } catch {
    return false;
  }
}

/** This setup's FusionAuth domain, by its mark (setup id and tag). */
const isOurFusionAuthDomain = (d: ReservedDomain, store: Store) =>
  markedForFusionAuth(d) && whose(d.metadata, store.owner()).kind === 'mine';

/** Whether a domain is FusionAuth's (reserved for it, or the one it is published on): never the site's. */
export function isFusionAuthDomain(d: ReservedDomain, store: Store): boolean {
  const url = store.values.fusionauthPublicUrl;
  return (
    markedForFusionAuth(d) ||
    store.objectsOf('ngrok-reserved-domain', FUSIONAUTH_DOMAIN_ROLE).some((o) => o.id === d.id) ||
    (url !== undefined && new URL(url).hostname === d.domain)
  );
}

/** What the plan needs, said once, for the refusal and for the screen's explanation. */
export const PUBLISH_PLAN_NEEDS =
  "Publishing FusionAuth needs a second domain, and reserving one needs a paid ngrok plan (ERR_NGROK_401): the Free plan's one dev domain is the site's.";

/**
 * The domain FusionAuth is published on: the stored one while the account still has it, else one this
 * tool reserved earlier (its mark: a run killed after the create answered), else a new random name.
 * Records the id at once (destroy releases it) and the public URL (the issuer from now on).
 */
export async function reserveFusionAuthDomain(
  api: NgrokApi,
  store: Store,
  answers: Answers = {},
): Promise<{ publicUrl: string; findings: Finding[] }> {
  const all = await api.listReservedDomains();
  const stored = store.values.fusionauthPublicUrl && new URL(store.values.fusionauthPublicUrl).hostname;
  const owner = store.owner();
  const recordId = (id: string) =>
    store.recordObject({ kind: 'ngrok-reserved-domain', id, role: FUSIONAUTH_DOMAIN_ROLE });
  const keep = (rd: ReservedDomain, how: string) => {
    const publicUrl = `https://${rd.domain}`;
    if (whose(rd.metadata, owner).kind === 'mine') recordId(rd.id);
    store.setValues({ fusionauthPublicUrl: publicUrl });
    return { publicUrl, findings: [finding.ok(`FusionAuth's public domain ${rd.domain} ${how}`)] };
  };
  const ours = (d: ReservedDomain) => isOurFusionAuthDomain(d, store);
  const existing = (stored && all.find((d) => d.domain === stored)) || all.find(ours);
  if (existing) return keep(existing, '(reserved on your account)');
  try {
    const { item, how } = await findOrCreate(
      api,
      async () => (await api.listReservedDomains()).find(ours),
      () => api.createReservedDomain(undefined, mark(owner, 'FusionAuth on this machine, published', FUSIONAUTH_MARK)),
      recordId,
      { what: "FusionAuth's public domain", owner, answers, canCreateBeside: true },
    );
    return keep(item, how === 'created' ? 'reserved' : 'found');
  } catch (error) {
    if (isNgrokApiError(error, undefined, 'ERR_NGROK_401'))
      throw new UserError(PUBLISH_PLAN_NEEDS, {
        hint: 'Upgrade the ngrok plan (dashboard → Billing), or run FusionAuth on a public URL (FusionAuth Cloud, or a server with a public name).',
      });
    throw error;
  }
}

/**
 * The traffic policy of FusionAuth's published endpoint. FusionAuth builds its URLs (discovery's
 * endpoints, redirects, the login page's form) from X-Forwarded-Proto, -Host and -Port, and "if you do
 * not set these headers correctly, FusionAuth will not function correctly" ("FusionAuth and Proxies",
 * Headers To Set: https://fusionauth.io/docs/operate/deploy/proxy-setup). ngrok's cloud sends
 * X-Forwarded-Proto and X-Forwarded-Host with the public host and keeps the Host header; the port is
 * set here: first removed, since add-headers appends to a header that is there already
 * (https://ngrok.com/docs/traffic-policy/actions/add-headers, "Addition only").
 */
export function fusionauthProxyPolicy(): string {
  return YAML.stringify({
    on_http_request: [
      {
        actions: [
          { type: 'remove-headers', config: { headers: ['x-forwarded-port'] } },
          { type: 'add-headers', config: { headers: { 'x-forwarded-port': '443' } } },
        ],
      },
    ],
  });
}
