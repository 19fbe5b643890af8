// Every kind of remote object this tool creates, in one table: which service holds it, when it is
// deleted (dependency order: an edge's routes before the edge, a policy's rules before the policy, the
// domain after what is on it, FusionAuth after ngrok), how it is named, and how it is deleted. A new
// kind (a vault, a second endpoint) is a name in OBJECT_KINDS (core/store/schema.ts) and one entry
// here; `destroy`, its confirmation and `reset`'s count follow from the table.
// Type imports only: `reset` and `destroy`'s confirmation load this file without the API clients.
import type { FusionAuthApi } from '../fusionauth';
import type { NgrokApi } from '../ngrok';
import type { CreatedObject, ObjectKind } from '../store';

export type Service = 'ngrok' | 'FusionAuth';

/** The clients a deletion may use; a service without a key has none, and its objects are left. */
export interface Services {
  ngrok?: NgrokApi;
  fusionauth?: FusionAuthApi;
}

export interface KindEntry {
  service: Service;
  /** Deleted before every kind with a larger number. */
  order: number;
  /** What a person reads in the confirmation and the result: "cloud endpoint ep_…". */
  label(object: CreatedObject): string;
  /** Deletes it; a 404 (already gone) counts as deleted where this is called (destroy.ts). */
  remove(services: Required<Services>, object: CreatedObject): Promise<unknown>;
}

const fusionauthDelete = (
  api: FusionAuthApi,
  action: string,
  endpoint: string,
  call: Parameters<FusionAuthApi['call']>[1],
) => api.call({ action, method: 'DELETE', endpoint }, call, { emptyBody: true });

/** A route of an edge needs its edge's id in its path; one recorded without it cannot be named to ngrok. */
function routeOf(object: CreatedObject): string {
  if (!object.parent) throw new Error(`the edge of route ${object.id} is not recorded`);
  return object.parent;
}

export const KINDS: Record<ObjectKind, KindEntry> = {
  'ngrok-edge-route': {
    service: 'ngrok',
    order: 10,
    label: (o) =>
      `${o.role === 'second' ? "second app's route" : 'route /'} ${o.id} of edge ${o.parent ?? '(unknown)'}`,
    remove: ({ ngrok }, o) => ngrok.deleteRoute(routeOf(o), o.id),
  },
  'ngrok-edge': {
    service: 'ngrok',
    order: 20,
    label: (o) => `HTTPS edge ${o.id}`,
    remove: ({ ngrok }, o) => ngrok.deleteEdge(o.id),
  },
  'ngrok-backend': {
    service: 'ngrok',
    order: 30,
    label: (o) => `tunnel-group backend ${o.id}`,
    remove: ({ ngrok }, o) => ngrok.deleteTunnelGroupBackend(o.id),
  },
  'ngrok-cloud-endpoint': {
    service: 'ngrok',
    order: 40,
    label: (o) => `cloud endpoint ${o.id}`,
    remove: ({ ngrok }, o) => ngrok.deleteEndpoint(o.id),
  },
  // After the cloud endpoint whose policy reads them (secrets.get): the secret, then its vault.
  'ngrok-vault-secret': {
    service: 'ngrok',
    order: 42,
    label: (o) => `vault secret ${o.id} (the client secret)`,
    remove: ({ ngrok }, o) => ngrok.deleteVaultSecret(o.id),
  },
  'ngrok-vault': {
    service: 'ngrok',
    order: 44,
    label: (o) => `vault ${o.id} and its client secret`,
    remove: ({ ngrok }, o) => ngrok.deleteVault(o.id),
  },
  'ngrok-ip-policy-rule': {
    service: 'ngrok',
    order: 50,
    label: (o) => `IP policy rule ${o.id}`,
    remove: ({ ngrok }, o) => ngrok.deleteIpPolicyRule(o.id),
  },
  'ngrok-ip-policy': {
    service: 'ngrok',
    order: 60,
    label: (o) => `IP policy ${o.id}`,
    remove: ({ ngrok }, o) => ngrok.deleteIpPolicy(o.id),
  },
  'ngrok-reserved-domain': {
    service: 'ngrok',
    order: 70,
    label: (o) =>
      `reserved domain ${o.id} (${o.role === 'fusionauth' ? "FusionAuth's public one" : 'reserved by this tool'})`,
    remove: ({ ngrok }, o) => ngrok.deleteReservedDomain(o.id),
  },
  'fusionauth-webhook': {
    service: 'FusionAuth',
    order: 80,
    label: (o) => `login webhook ${o.id}`,
    remove: ({ fusionauth }, o) =>
      fusionauthDelete(fusionauth, 'deleting the login webhook', '/api/webhook', (c) => c.deleteWebhook(o.id)),
  },
  'fusionauth-application': {
    service: 'FusionAuth',
    order: 90,
    label: (o) => `application ${o.id}`,
    remove: ({ fusionauth }, o) =>
      fusionauthDelete(fusionauth, 'deleting the application', '/api/application', (c) => c.deleteApplication(o.id)),
  },
};
