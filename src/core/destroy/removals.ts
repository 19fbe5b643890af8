// What `destroy` would remove, from the ids in the store's `Created`: for its confirmation, for what
// is left after a failure, and for `reset`'s count. Imports nothing, so `reset` stays light.
import type { Created } from '../store';

export interface Removal {
  service: 'ngrok' | 'FusionAuth';
  label: string;
}

/** What destroy would remove, in the order it removes it (for the confirmation). */
export function plannedRemovals(created: Created): Removal[] {
  const list: Removal[] = [];
  if (created.edgeId) list.push({ service: 'ngrok', label: `HTTPS edge ${created.edgeId}, with its routes` });
  for (const key of ['secondBackendId', 'backendId'] as const)
    if (created[key]) list.push({ service: 'ngrok', label: `tunnel-group backend ${created[key]}` });
  if (created.endpointId) list.push({ service: 'ngrok', label: `cloud endpoint ${created.endpointId}` });
  if (created.vaultId || created.vaultSecretId)
    list.push({ service: 'ngrok', label: `vault ${created.vaultId ?? ''} and its client secret`.replace('  ', ' ') });
  if (created.ipPolicyId || created.ipPolicyRuleIds?.length)
    list.push({ service: 'ngrok', label: `IP policy ${created.ipPolicyId ?? ''} and its rules`.replace('  ', ' ') });
  if (created.reservedDomainId)
    list.push({ service: 'ngrok', label: `reserved domain ${created.reservedDomainId} (reserved by this tool)` });
  if (created.fusionauthWebhookId)
    list.push({ service: 'FusionAuth', label: `login webhook ${created.fusionauthWebhookId}` });
  if (created.fusionauthApplicationId)
    list.push({ service: 'FusionAuth', label: `application ${created.fusionauthApplicationId}` });
  return list;
}
