// Edge mode's IP restriction (Next Steps): an IP policy of this tool's with one `allow` rule per CIDR,
// kept equal to the list the user gave. Its id and its rules' ids are recorded for `destroy`.
import { finding, type Finding } from '../findings';
import type { NgrokApi } from './api';
import { findOrCreate, mark, verifyStored, whose, type Answers } from './ownership';
import type { Store } from '../store';

export async function reconcileIpPolicy(
  api: NgrokApi,
  store: Store,
  domain: string,
  cidrs: string[],
  answers: Answers,
): Promise<{ policyId: string; findings: Finding[] }> {
  const findings: Finding[] = [];
  const owner = store.owner();
  const storedId = store.ownedId('ngrok-ip-policy');
  const forgetRules = () => {
    for (const rule of store.objectsOf('ngrok-ip-policy-rule')) store.forgetObject(rule.kind, rule.id);
  };
  let policyId = storedId
    ? (
        await verifyStored(
          () => api.getIpPolicy(storedId),
          `The IP policy ${storedId}`,
          answers,
          () => {
            store.forgetObject('ngrok-ip-policy', storedId);
            forgetRules();
          },
        )
      )?.id
    : undefined;
  if (!policyId) {
    const { item, how } = await findOrCreate(
      api,
      // Only this setup's: a policy is found by its mark, never by another setup's.
      async () => (await api.listIpPolicies()).find((p) => whose(p.metadata, owner).kind === 'mine'),
      () => api.createIpPolicy(mark(owner, `allowed networks of ${domain}`, domain)),
      (id) => store.recordObject({ kind: 'ngrok-ip-policy', id }),
      { what: `The IP policy of ${domain}`, owner, answers, canCreateBeside: true },
    );
    policyId = item.id;
    findings.push(finding.ok(`IP policy ${policyId} ${how === 'created' ? 'created' : 'found'}`));
  }

  const rules = (await api.listIpPolicyRules()).filter((r) => r.ipPolicyId === policyId);
  const kept = rules.filter((r) => r.action === 'allow' && cidrs.includes(r.cidr));
  // The rules of the policy are this setup's (the policy is): recorded as they are now.
  for (const rule of store.objectsOf('ngrok-ip-policy-rule'))
    if (!kept.some((r) => r.id === rule.id)) store.forgetObject(rule.kind, rule.id);
  for (const rule of kept) store.recordObject({ kind: 'ngrok-ip-policy-rule', id: rule.id });
  for (const rule of rules.filter((r) => !kept.includes(r))) {
    await api.deleteIpPolicyRule(rule.id);
    findings.push(finding.ok(`Removed ${rule.cidr} from the allowed networks`));
  }
  for (const cidr of cidrs.filter((c) => !kept.some((r) => r.cidr === c))) {
    const rule = await api.createIpPolicyRule(policyId, cidr, mark(owner, `allow ${cidr}`, domain));
    store.recordObject({ kind: 'ngrok-ip-policy-rule', id: rule.id });
    findings.push(finding.ok(`Allowed ${cidr}`));
  }
  return { policyId, findings };
}
