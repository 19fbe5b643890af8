// What the API handlers share: the account, the online agents, and the switches tests flip.
import type { Registry } from '../registry';
import type { Account } from '../state';
import type { Ref } from '../model';
import { errors } from '../errors';
import type { NgrokPlan } from '../plan';
import type { CloudNet } from '../cloud/discovery';

/** The switches of a sandbox run (not persisted): they change how ngrok answers, as an account's state would. */
export interface Switches {
  /** Accounts after the 2025-12-31 sunset: edge creation answers ERR_NGROK_7008. */
  edgesSunset: boolean;
  /** What the account's plan allows (../plan.ts). */
  plan: NgrokPlan;
  /**
   * The FusionAuth of this sandbox is reachable only on this machine, as a developer's docker compose
   * FusionAuth on localhost:9011 is: the cloud refuses loopback issuers (cloud/discovery.ts), so the
   * login works only through a published endpoint.
   */
  privateIdp: boolean;
}

export interface ApiDeps {
  account: Account;
  registry: Registry;
  flags: Switches;
  /** How the cloud reaches an OpenID issuer when a policy is checked at creation (../cloud/discovery.ts). */
  net?: CloudNet;
}

export function ref(collectionPath: string, id: string): Ref {
  return { id, uri: `${collectionPath}/${id}` };
}

export function created(body: unknown) {
  return { status: 201, body };
}

export function ok(body: unknown) {
  return { status: 200, body };
}

export const noContent = { status: 204 } as const;

/** The item with this id, or ngrok's 404 for the request. */
export function mustGet<T>(items: ReadonlyMap<string, T>, id: string): T {
  const item = items.get(id);
  if (!item) throw errors.notFound();
  return item;
}
