// What an API answered, checked at the boundary before any of it is used: `{"tenants":"x"}` must be a
// sentence ("… tenants is not a list"), not a TypeError deep in a step that the CLI can only call an
// unexpected failure. Each answer we read has a shape (fusionauth/answers.ts, the resource shapes in
// ngrok/api.ts) naming the fields this tool reads, with their types; fields it does not read are not
// looked at, so an API that adds fields breaks nothing.
//
// Why a dozen lines of our own rather than zod or valibot: the checks are "is it a string / a list /
// an object, at this path", with no transforms, unions or coercions; the answers stay the API clients'
// own typed objects (the FusionAuth library's Application, say), so a library's type inference would
// go unused; and a validator costs nothing at startup, where zod (~60 KB in the bundle) would be one
// more dependency to keep for the lazily loaded API chunks. ajv, which the build already uses for the
// store, would need a second ahead-of-time compile step for the same few checks.
import { UserError } from '../errors';

/** Checks `value`, found at `at` ("tenants[0].id"; "" for the whole answer); throws a ShapeMismatch. */
export type Shape = (value: unknown, at: string) => void;

/** Where an answer and its shape part: `at` is not `expected`. */
export class ShapeMismatch extends Error {
  constructor(
    readonly at: string,
    readonly expected: string,
  ) {
    super(`${at || 'the answer'} is not ${expected}`);
    this.name = 'ShapeMismatch';
  }
}

const mismatch = (at: string, expected: string): never => {
  throw new ShapeMismatch(at, expected);
};

export const text: Shape = (value, at) => void (typeof value === 'string' || mismatch(at, 'a string'));
export const num: Shape = (value, at) =>
  void ((typeof value === 'number' && Number.isFinite(value)) || mismatch(at, 'a number'));
export const bool: Shape = (value, at) => void (typeof value === 'boolean' || mismatch(at, 'true or false'));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function list(item: Shape): Shape {
  return (value, at) => {
    if (!Array.isArray(value)) return mismatch(at, 'a list');
    value.forEach((entry, i) => item(entry, `${at}[${i}]`));
  };
}

/** An object whose values all have one shape (labels, header maps, FusionAuth's event maps). */
export function mapOf(entry: Shape): Shape {
  return (value, at) => {
    if (!isObject(value)) return mismatch(at, 'an object');
    for (const [key, inner] of Object.entries(value)) entry(inner, `${at}.${key}`);
  };
}

/**
 * An object with these fields. A field left out, or null (ngrok writes null for a module that is
 * off), is accepted unless `required` names it; other fields are not looked at.
 */
export function fields(shape: Record<string, Shape>, required: readonly string[] = []): Shape {
  return (value, at) => {
    if (!isObject(value)) return mismatch(at, 'an object');
    for (const [key, check] of Object.entries(shape)) {
      const where = at ? `${at}.${key}` : key;
      const inner = value[key];
      if (inner === undefined || inner === null) {
        if (required.includes(key)) mismatch(where, 'there');
        continue;
      }
      check(inner, where);
    }
  };
}

/** Any object: for answers whose content is not read, only that one came. */
export const someObject: Shape = fields({});

export interface AnswerSource {
  /** "FusionAuth", "ngrok". */
  service: string;
  /** What we were doing, as in every other sentence of the clients: "listing the tenants". */
  action: string;
  /** What to check (which server the URL points at). */
  hint: string;
}

/** Checks `value` against `shape`; a mismatch is one sentence naming the service, the call and the field. */
export function checkAnswer(value: unknown, shape: Shape, source: AnswerSource): void {
  try {
    shape(value, '');
  } catch (error) {
    if (!(error instanceof ShapeMismatch)) throw error;
    throw new UserError(
      `${source.service} answered ${source.action} with something this tool cannot use: ${error.message}.`,
      { hint: source.hint, cause: error },
    );
  }
}
