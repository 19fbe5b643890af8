// JSON values as FusionAuth stores them. The stand-in keeps every object (tenant, application, webhook,
// user) as the JSON it would answer, so a client that reads, edits and PUTs an object back round-trips
// every field it sent, as against the real server; typed views (model.ts) read the fields it acts on.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy, so that no caller can change a stored object through a reference it was given. */
export function clone<T extends Json>(value: T): T {
  return structuredClone(value);
}

export function getObject(parent: JsonObject, key: string): JsonObject | undefined {
  const value = parent[key];
  return isJsonObject(value) ? value : undefined;
}

export function getString(parent: JsonObject | undefined, key: string): string | undefined {
  const value = parent?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function getBoolean(parent: JsonObject | undefined, key: string): boolean | undefined {
  const value = parent?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function getStrings(parent: JsonObject | undefined, key: string): string[] {
  const value = parent?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * `base` with `overlay` laid over it, objects merged key by key. Used to fill FusionAuth's defaults
 * under what a client sent: the overlay wins, arrays and scalars are taken whole.
 */
export function withDefaults(base: JsonObject, overlay: JsonObject): JsonObject {
  const out: JsonObject = clone(base);
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isJsonObject(current) && isJsonObject(value) ? withDefaults(current, value) : clone(value);
  }
  return out;
}

/**
 * PATCH with `application/json`: objects merge; arrays are *not* replaced. FusionAuth's own array
 * handling here is inconsistent ("sometimes merge, sometimes append"), so the stand-in takes the
 * union: a client that relies on such a PATCH to remove an item (say, a redirect URL) sees it stay,
 * which is the mistake this stand-in exists to catch. `null` sets the field to null.
 */
export function mergePatchLoose(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = clone(target);
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (isJsonObject(current) && isJsonObject(value)) {
      out[key] = mergePatchLoose(current, value);
    } else if (Array.isArray(current) && Array.isArray(value)) {
      const seen = new Set(current.map((item) => JSON.stringify(item)));
      out[key] = [...clone(current), ...clone(value).filter((item) => !seen.has(JSON.stringify(item)))];
    } else {
      out[key] = clone(value);
    }
  }
  return out;
}

/** PATCH with `application/merge-patch+json` (RFC 7396): objects merge, arrays are replaced, null deletes. */
export function mergePatchRfc7396(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = clone(target);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    out[key] = isJsonObject(value) ? mergePatchRfc7396(isJsonObject(current) ? current : {}, value) : clone(value);
  }
  return out;
}
