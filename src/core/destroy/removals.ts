// What `destroy` would remove, from the objects in the store's `Created`, in the order it removes them
// (kinds.ts): for its confirmation, for what is left after a failure, and for `reset`'s count.
// Imports no client, so `reset` stays light.
import type { Created, CreatedObject } from '../store';
import { KINDS, type Service } from './kinds';

export interface Removal {
  service: Service;
  label: string;
  object: CreatedObject;
}

/** The recorded objects in deletion order (a stable sort: objects of a kind in the order they were made). */
export function removalOrder(created: Created): CreatedObject[] {
  return [...(created.objects ?? [])].sort((a, b) => KINDS[a.kind].order - KINDS[b.kind].order);
}

/** What destroy would remove, in the order it removes it (for the confirmation). */
export function plannedRemovals(created: Created): Removal[] {
  return removalOrder(created).map((object) => ({
    service: KINDS[object.kind].service,
    label: KINDS[object.kind].label(object),
    object,
  }));
}
