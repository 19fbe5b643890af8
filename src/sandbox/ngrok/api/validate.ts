// Field checks for request bodies. They answer 400 in ngrok's error shape, naming the field.
import { errors } from '../errors';

type Body = Record<string, unknown>;

/** An optional string field; null counts as absent. `maxBytes` as ngrok documents (255 / 4096). */
export function optString(body: Body, key: string, maxBytes?: number): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalid(`The field '${key}' must be a string.`);
  if (maxBytes !== undefined && Buffer.byteLength(value) > maxBytes) {
    throw errors.invalid(
      `The ${key} has a maximum length of ${maxBytes} bytes. The specified value is ${Buffer.byteLength(value)} bytes.`,
    );
  }
  return value;
}

export function reqString(body: Body, key: string): string {
  const value = optString(body, key);
  if (value === undefined || value === '') throw errors.invalid(`The field '${key}' is required.`);
  return value;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw errors.invalid(`The field '${key}' must be a boolean.`);
  return value;
}

export function optInt(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw errors.invalid(`The field '${key}' must be a non-negative integer.`);
  return value;
}

export function optStrings(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    throw errors.invalid(`The field '${key}' must be a list of strings.`);
  return value as string[];
}

export function optObject(body: Body, key: string): Body | null | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalid(`The field '${key}' must be an object.`);
  return value as Body;
}

/** The common description (≤255 bytes) and metadata (≤4096 bytes) pair. */
export function describe(body: Body): { description?: string; metadata?: string } {
  return { description: optString(body, 'description', 255), metadata: optString(body, 'metadata', 4096) };
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function isHostname(value: string): boolean {
  return HOSTNAME.test(value);
}
