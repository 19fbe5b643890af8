// What the API handlers share: the account, the online agents, and the switches tests flip.
import type { Registry } from '../registry';
import type { Account } from '../state';
import type { Ref } from '../model';
import { errors } from '../errors';

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

/** The item with this id, or ngrok's 404 for the request. */
export function mustGet<T>(items: ReadonlyMap<string, T>, id: string): T {
  const item = items.get(id);
  if (!item) throw errors.notFound();
  return item;
}
