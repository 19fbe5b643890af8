// /ip_policies and /ip_policy_rules: reusable CIDR lists for the IP restriction module and the
// restrict-ips action. Deleting a policy deletes its rules (ngrok then treats it as empty).
import { errors } from '../errors';
import { newId } from '../ids';
import { parseCidr } from '../ip';
import { nowRfc3339, type IpPolicy, type IpPolicyRule } from '../model';
import { created, noContent, ok, ref, type ApiDeps, mustGet } from './context';
import { paginate } from './paging';
import type { Router } from './router';
import { describe, optString, reqString } from './validate';

const POLICIES = '/ip_policies';
const RULES = '/ip_policy_rules';

function checkCidr(cidr: string): string {
  if (!parseCidr(cidr))
    throw errors.invalid(`The CIDR '${cidr}' is invalid: specify an IPv4 or IPv6 address or range in CIDR notation.`);
  return cidr;
}

export function ipPolicyRoutes(router: Router, { account }: ApiDeps): void {
  const findPolicy = (id: string) => mustGet(account.ipPolicies, id);
  const findRule = (id: string) => mustGet(account.ipPolicyRules, id);

  router.add('POST', POLICIES, ({ body }) => {
    const { description, metadata } = describe(body);
    const id = newId('ipp');
    const policy: IpPolicy = {
      id,
      uri: `${POLICIES}/${id}`,
      created_at: nowRfc3339(),
      description: description ?? '',
      metadata: metadata ?? '',
    };
    account.ipPolicies.set(id, policy);
    return created(policy);
  });
  router.add('GET', POLICIES, ({ query }) => paginate(account.ipPolicies.values(), query, POLICIES, 'ip_policies'));
  router.add('GET', `${POLICIES}/{id}`, ({ params }) => ok(findPolicy(params.id!)));
  router.add('PATCH', `${POLICIES}/{id}`, ({ params, body }) => {
    const policy = findPolicy(params.id!);
    const { description, metadata } = describe(body);
    if (description !== undefined) policy.description = description;
    if (metadata !== undefined) policy.metadata = metadata;
    return ok(policy);
  });
  router.add('DELETE', `${POLICIES}/{id}`, ({ params }) => {
    const policy = findPolicy(params.id!);
    account.ipPolicies.delete(policy.id);
    for (const rule of [...account.ipPolicyRules.values()])
      if (rule.ip_policy.id === policy.id) account.ipPolicyRules.delete(rule.id);
    return noContent;
  });

  router.add('POST', RULES, ({ body }) => {
    const cidr = checkCidr(reqString(body, 'cidr'));
    const policyId = reqString(body, 'ip_policy_id');
    const action = reqString(body, 'action');
    if (action !== 'allow' && action !== 'deny')
      throw errors.invalid(`The action '${action}' is invalid: it must be 'allow' or 'deny'.`);
    if (!account.ipPolicies.has(policyId)) throw errors.invalid(`The IP policy '${policyId}' does not exist.`);
    const { description, metadata } = describe(body);
    const id = newId('ipr');
    const rule: IpPolicyRule = {
      id,
      uri: `${RULES}/${id}`,
      created_at: nowRfc3339(),
      description: description ?? '',
      metadata: metadata ?? '',
      cidr,
      ip_policy: ref(POLICIES, policyId),
      action,
    };
    account.ipPolicyRules.set(id, rule);
    return created(rule);
  });
  router.add('GET', RULES, ({ query }) => paginate(account.ipPolicyRules.values(), query, RULES, 'ip_policy_rules'));
  router.add('GET', `${RULES}/{id}`, ({ params }) => ok(findRule(params.id!)));
  router.add('PATCH', `${RULES}/{id}`, ({ params, body }) => {
    const rule = findRule(params.id!);
    const cidr = optString(body, 'cidr');
    const { description, metadata } = describe(body);
    if (cidr !== undefined) rule.cidr = checkCidr(cidr);
    if (description !== undefined) rule.description = description;
    if (metadata !== undefined) rule.metadata = metadata;
    return ok(rule);
  });
  router.add('DELETE', `${RULES}/{id}`, ({ params }) => {
    account.ipPolicyRules.delete(findRule(params.id!).id);
    return noContent;
  });
}
