// What the API handlers share: the account, the online agents, and the switches tests flip.
import type { Registry } from '../registry';
import type { Account } from '../state';
import type { Ref } from '../model';

export interface ApiDeps {
  account: Account;
  registry: Registry;
  flags: { edgesSunset: boolean };
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
