// Edge mode's IP restriction (Next Steps): an IP policy of this tool's with one `allow` rule per CIDR,
// kept equal to the list the user gave. Its id and its rules' ids are recorded for `destroy`.
import { finding, type Finding } from '../findings';
import type { NgrokApi } from './api';
import { findOrCreate, isOurs, mark, verifyStored, type Answers } from './ownership';
import type { Store } from '../store';

export async function reconcileIpPolicy(
  api: NgrokApi,
  store: Store,
  domain: string,
  cidrs: string[],
  answers: Answers,
): Promise<{ policyId: string; findings: Finding[] }> {
  const findings: Finding[] = [];
  const storedId = store.created.ipPolicyId;
  let policyId = storedId
    ? (
        await verifyStored(
          () => api.getIpPolicy(storedId),
          `The IP policy ${storedId}`,
          answers,
          () => store.setCreated({ ipPolicyId: undefined, ipPolicyRuleIds: undefined }),
        )
      )?.id
    : undefined;
  if (!policyId) {
    const { item, how } = await findOrCreate(
      api,
      async () => (await api.listIpPolicies()).find((p) => isOurs(p.metadata, domain)),
      () => api.createIpPolicy(mark(`allowed networks of ${domain}`, domain)),
      (id) => store.setCreated({ ipPolicyId: id }),
      domain,
    );
    policyId = item.id;
    findings.push(finding.ok(`IP policy ${policyId} ${how === 'created' ? 'created' : 'found'}`));
  }

  const rules = (await api.listIpPolicyRules()).filter((r) => r.ipPolicyId === policyId);
  const kept = rules.filter((r) => r.action === 'allow' && cidrs.includes(r.cidr));
  const ids = kept.map((r) => r.id);
  store.setCreated({ ipPolicyRuleIds: ids });
  for (const rule of rules.filter((r) => !kept.includes(r))) {
    await api.deleteIpPolicyRule(rule.id);
    findings.push(finding.ok(`Removed ${rule.cidr} from the allowed networks`));
  }
  for (const cidr of cidrs.filter((c) => !kept.some((r) => r.cidr === c))) {
    const rule = await api.createIpPolicyRule(policyId, cidr, mark(`allow ${cidr}`, domain));
    ids.push(rule.id);
    store.setCreated({ ipPolicyRuleIds: [...ids] });
    findings.push(finding.ok(`Allowed ${cidr}`));
  }
  return { policyId, findings };
}
