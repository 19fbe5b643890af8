// What can be checked of Set Up ngrok Cloud Edge done by hand (no API key), instead of taking the
// person's word: the public URL, asked as a stranger would ask it, must send them to the FusionAuth
// login with our client (core/tunnel's probe, the Test It Out check "Strangers are sent to the
// login"). A cloud endpoint runs its traffic policy before anything reaches an agent, so this holds
// as soon as the endpoint is saved. What no request can show before someone logs in (the client
// secret, the forward to the agent) is said as "not checked", never ✔.
import { finding, type Finding } from '../core/findings';
import { issuerUrlFor, redirectUriFor } from '../core/settings';
import { probeProtection } from '../core/tunnel';
import type { StepContext } from './types';

export interface PublicUrlCheck {
  ok: boolean;
  /** What the stranger got, in the endpoint's own words (the sandbox's loopback address put back). */
  message: string;
  fix?: string;
  /** Nothing serves the URL here (the sandbox opens a hostname only once something is on it). */
  unserved?: boolean;
}

/** Asks `url` as a stranger: is the visitor sent to the FusionAuth login, with our client? */
export async function strangerAt(ctx: StepContext, url: string): Promise<PublicUrlCheck> {
  const reach = ctx.reach ? ctx.reach(url) : url;
  if (reach === undefined) return { ok: false, unserved: true, message: `Nothing serves ${url}.` };
  const probe = await probeProtection({
    endpointUrl: reach,
    fusionauthUrl: issuerUrlFor(ctx)!,
    clientId: ctx.store.values.clientId ?? '',
    redirectUri: redirectUriFor(ctx),
    signal: ctx.signal,
  });
  const shown = (text: string) => (reach === url ? text : text.split(reach).join(url));
  return { ok: probe.ok, message: shown(probe.message), ...(probe.fix ? { fix: probe.fix } : {}) };
}

/** Endpoint mode by hand: the cloud endpoint the person says they saved must answer, and log strangers in. */
export async function checkCloudEndpoint(
  ctx: StepContext,
  url: string,
  internal: string,
  policyFile: string,
): Promise<{ ok: boolean; findings: Finding[] }> {
  const create = `ngrok dashboard → Endpoints → New → Cloud Endpoint: URL ${url}; Traffic Policy: the contents of ${policyFile} (e.g. cat it). Save, then try again.`;
  const seen = await strangerAt(ctx, url);
  if (seen.unserved)
    return {
      ok: false,
      findings: [finding.error(`Nothing serves ${url}: no cloud endpoint answers there yet.`, create)],
    };
  if (!seen.ok) return { ok: false, findings: [finding.error(seen.message, seen.fix ?? create)] };
  return {
    ok: true,
    findings: [
      finding.ok(
        `${url} sends strangers to the FusionAuth login (client ${ctx.store.values.clientId}): the cloud endpoint is there`,
      ),
      finding.unchecked(
        `the Client secret in the policy you pasted, and its forward to ${internal}: ngrok uses them only once someone logs in (Test It Out does).`,
      ),
    ],
  };
}

/**
 * Edge mode by hand: an edge's OIDC module may send strangers to the login before any agent runs, or
 * may not (nothing serves the hostname until the tunnel starts): a login seen is ✔, anything else is
 * not a verdict.
 */
export async function checkEdgeByHand(ctx: StepContext, url: string): Promise<Finding> {
  const seen = await strangerAt(ctx, url);
  if (seen.ok)
    return finding.ok(`${url} sends strangers to the FusionAuth login (client ${ctx.store.values.clientId})`);
  return finding.unchecked(
    `the edge's OIDC settings (${url} does not send strangers to the FusionAuth login yet: ${seen.message.replace(/\.$/, '')}). Test It Out checks them with the agent running.`,
  );
}

/** Agent mode without a key: whether the domain is the account's shows only when the agent starts. */
export const agentDomainUnchecked = (host: string): Finding =>
  finding.unchecked(
    `that ${host} is a domain of your ngrok account (dashboard → Domains); the agent refuses any other when it starts (Test It Out starts it).`,
  );
