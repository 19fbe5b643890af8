// Mode `endpoint`, today's Cloud Edge: a cloud endpoint on the domain whose traffic policy logs the
// visitor in (openid-connect) and forwards to the agent's internal endpoint (forward-internal). The
// stored id is verified, an endpoint on the URL adopted, one created otherwise; the policy is updated
// only when it says something else than wanted.
import { finding, type Finding } from '../findings';
import type { CloudEndpoint, NgrokApi } from './api';
import { findOrCreate, mark, othersObject, verifyStored, whose, type Answers } from './ownership';
import { samePolicy } from './policy';
import type { Store } from '../store';

export interface EndpointPlan {
  domain: string;
  url: string;
  policy: string;
}

/**
 * Another setup's cloud endpoint on the URL is the question before anything is made for this one (the
 * vault its policy reads, vault.ts): the endpoint is what cannot be shared, so it is what is asked about.
 * Passes when this setup has its own endpoint, none is there, or the answer is to use it.
 */
export async function askAboutOthersEndpoint(
  api: NgrokApi,
  store: Store,
  url: string,
  answers: Answers,
): Promise<void> {
  if (store.ownedId('ngrok-cloud-endpoint')) return;
  const found = (await api.listEndpoints()).find((e) => e.type === 'cloud' && e.url === url);
  if (!found) return;
  const who = whose(found.metadata, store.owner());
  if (who.kind === 'other-setup' || who.kind === 'old-mark')
    othersObject(`The cloud endpoint at ${url}`, who, answers, false);
}

export async function reconcileEndpoint(
  api: NgrokApi,
  store: Store,
  plan: EndpointPlan,
  answers: Answers,
): Promise<{ endpoint: CloudEndpoint; findings: Finding[] }> {
  const findings: Finding[] = [];
  const storedId = store.ownedId('ngrok-cloud-endpoint');
  let endpoint = storedId
    ? await verifyStored(
        () => api.getEndpoint(storedId),
        `The cloud endpoint ${storedId}`,
        answers,
        () => store.forgetObject('ngrok-cloud-endpoint', storedId),
      )
    : undefined;
  if (endpoint && endpoint.url !== plan.url) {
    // Another domain was chosen: our endpoint moves with it.
    endpoint = await api.updateEndpoint(endpoint.id, { url: plan.url });
    findings.push(finding.ok(`Cloud endpoint ${endpoint.id} moved to ${plan.url}`));
  }
  if (!endpoint) {
    const owner = store.owner();
    const { item, how } = await findOrCreate(
      api,
      async () => (await api.listEndpoints()).find((e) => e.type === 'cloud' && e.url === plan.url),
      () =>
        api.createCloudEndpoint(
          plan.url,
          plan.policy,
          mark(owner, `cloud endpoint of ${plan.domain} (login with FusionAuth)`, plan.domain),
        ),
      (id) => store.recordObject({ kind: 'ngrok-cloud-endpoint', id }),
      { what: `The cloud endpoint at ${plan.url}`, owner, answers, canCreateBeside: false },
    );
    endpoint = item;
    findings.push(finding.ok(`Cloud endpoint ${item.id} ${how === 'created' ? 'created' : 'found'} at ${plan.url}`));
  } else {
    findings.push(finding.ok(`Cloud endpoint ${endpoint.id} at ${plan.url}`));
  }
  if (!samePolicy(endpoint.trafficPolicy, plan.policy)) {
    endpoint = await api.updateEndpoint(endpoint.id, { trafficPolicy: plan.policy });
    findings.push(finding.ok('Its traffic policy is updated'));
  }
  return { endpoint, findings };
}
