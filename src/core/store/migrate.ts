// Settings files written before `created.objects` kept one key per kind (`edgeId`, `endpointId`, …),
// so a second object of a kind (the domain of an earlier mode) overwrote the first and `destroy` never
// saw it. Such a file is read into the list, in the order `destroy` used to delete them; the rest of
// the section (setup id, redirect URLs, local files) is kept as it is. Pure and idempotent: a file in
// the new shape comes back unchanged, and the first write stores the new shape.
import type { CreatedObject, ObjectKind } from './schema';

/** The old keys, each with the kind it held (and the role of the second app's route and backend). */
const OLD_KEYS: Record<string, { kind: ObjectKind; role?: string }> = {
  edgeId: { kind: 'ngrok-edge' },
  routeId: { kind: 'ngrok-edge-route' },
  secondRouteId: { kind: 'ngrok-edge-route', role: 'second' },
  backendId: { kind: 'ngrok-backend' },
  secondBackendId: { kind: 'ngrok-backend', role: 'second' },
  endpointId: { kind: 'ngrok-cloud-endpoint' },
  ipPolicyId: { kind: 'ngrok-ip-policy' },
  ipPolicyRuleIds: { kind: 'ngrok-ip-policy-rule' },
  reservedDomainId: { kind: 'ngrok-reserved-domain' },
  fusionauthDomainId: { kind: 'ngrok-reserved-domain', role: 'fusionauth' },
  fusionauthWebhookId: { kind: 'fusionauth-webhook' },
  fusionauthApplicationId: { kind: 'fusionauth-application' },
  vaultId: { kind: 'ngrok-vault' },
  vaultSecretId: { kind: 'ngrok-vault-secret' },
};

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `data` with an old-shape `created` section turned into `created.objects`; anything else as it is. */
export function migrateStoreData(data: unknown): unknown {
  if (!isObject(data) || !isObject(data['created'])) return data;
  const created = data['created'];
  const old = Object.keys(created).filter((key) => key in OLD_KEYS);
  if (!old.length) return data;
  const objects: CreatedObject[] = Array.isArray(created['objects'])
    ? [...(created['objects'] as CreatedObject[])]
    : [];
  // A route's edge: the recorded one, else the edge the values name (the manual path records none).
  const values = isObject(data['values']) ? data['values'] : {};
  const edge = typeof created['edgeId'] === 'string' ? created['edgeId'] : values['edgeId'];
  const next: Json = {};
  for (const [key, value] of Object.entries(created)) {
    const was = OLD_KEYS[key];
    // A value of another type stays where it was, for the schema to name it (never silently dropped).
    const ids =
      typeof value === 'string'
        ? [value]
        : Array.isArray(value) && value.every((v) => typeof v === 'string')
          ? (value as string[])
          : undefined;
    if (!was || !ids) {
      next[key] = value;
      continue;
    }
    for (const id of ids) {
      const object: CreatedObject = { kind: was.kind, id };
      if (was.kind === 'ngrok-edge-route' && typeof edge === 'string') object.parent = edge;
      if (was.kind === 'ngrok-vault-secret' && typeof created['vaultId'] === 'string')
        object.parent = created['vaultId'];
      if (was.role) object.role = was.role;
      if (!objects.some((o) => o.kind === object.kind && o.id === id)) objects.push(object);
    }
  }
  if (objects.length) next['objects'] = objects;
  return { ...data, created: next };
}
