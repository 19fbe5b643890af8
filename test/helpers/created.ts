// The recorded objects of a store (`created.objects`, one entry per object) read as one slot per kind,
// the newest of each: what most tests want to name ("the edge", "the route /"). What `destroy`
// deletes is the whole list; tests of that read `created.objects` itself.
import type { Created, ObjectKind, Store } from '../../src/core/store';

const SLOTS = {
  fusionauthApplicationId: ['fusionauth-application'],
  fusionauthWebhookId: ['fusionauth-webhook'],
  reservedDomainId: ['ngrok-reserved-domain'],
  fusionauthDomainId: ['ngrok-reserved-domain', 'fusionauth'],
  edgeId: ['ngrok-edge'],
  routeId: ['ngrok-edge-route'],
  secondRouteId: ['ngrok-edge-route', 'second'],
  backendId: ['ngrok-backend'],
  secondBackendId: ['ngrok-backend', 'second'],
  endpointId: ['ngrok-cloud-endpoint'],
  vaultId: ['ngrok-vault'],
  vaultSecretId: ['ngrok-vault-secret'],
  ipPolicyId: ['ngrok-ip-policy'],
} as const satisfies Record<string, readonly [ObjectKind, string?]>;

export type Slots = Partial<Record<keyof typeof SLOTS, string>> & { ipPolicyRuleIds?: string[] };

export function slots(created: Created): Slots {
  const out: Slots = {};
  const objects = created.objects ?? [];
  for (const [name, [kind, role]] of Object.entries(SLOTS) as [keyof typeof SLOTS, readonly [ObjectKind, string?]][]) {
    const id = objects.filter((o) => o.kind === kind && o.role === role).at(-1)?.id;
    if (id) out[name] = id;
  }
  const rules = objects.filter((o) => o.kind === 'ngrok-ip-policy-rule').map((o) => o.id);
  if (rules.length) out.ipPolicyRuleIds = rules;
  return out;
}

/** Forgets the newest recorded object behind each named slot (a test's "the answer was lost"). */
export function forgetSlots(store: Store, ...names: (keyof typeof SLOTS)[]): void {
  for (const name of names) {
    const [kind, role] = SLOTS[name] as readonly [ObjectKind, string?];
    const id = store.ownedId(kind, role);
    if (id) store.forgetObject(kind, id);
  }
}
