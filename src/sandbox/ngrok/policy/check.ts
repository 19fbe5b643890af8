// Creation-time validation of a policy against the account: parse, referenced IP policies exist, and
// each openid-connect issuer answers discovery (ngrok answers ERR_NGROK_2227 when it does not).
import { discover, type CloudNet } from '../cloud/discovery';
import { errors, type NgrokError } from '../errors';
import type { Account } from '../state';
import { oidcActions, parsePolicy, PolicyError, referencedIpPolicies, type Policy } from './parse';

/** cloud: a cloud endpoint (18002); agent / route: an agent endpoint or route module (9026). */
export type PolicyOwner = 'cloud' | 'agent' | 'route';

/** `net`: how the cloud reaches an issuer (its own hostnames; whether loopback counts), as at login. */
export async function checkPolicy(text: string, account: Account, owner: PolicyOwner, net?: CloudNet): Promise<Policy> {
  const wrap = (msg: string): NgrokError =>
    owner === 'cloud' ? errors.cloudPolicyInvalid(msg) : errors.policyInvalid(msg);
  let policy: Policy;
  try {
    policy = parsePolicy(text);
  } catch (error) {
    if (error instanceof PolicyError) throw wrap(error.message);
    throw error;
  }
  for (const id of referencedIpPolicies(policy)) {
    if (!account.ipPolicies.has(id)) throw wrap(`restrict-ips: the IP policy '${id}' does not exist`);
  }
  for (const oidc of oidcActions(policy)) {
    try {
      await discover(oidc.issuerUrl, oidc.clientId, oidc.clientSecret, net);
    } catch {
      throw errors.oidcDiscovery('openid-connect', oidc.configPath, oidc.issuerUrl);
    }
  }
  return policy;
}
