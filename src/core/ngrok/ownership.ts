// What the ngrok setup shares across modes: the mark on everything this tool creates (so that a rerun
// after a crash can tell its own resources from the user's, and record them for `destroy`), the
// find-or-create that never makes a second one, and the questions a rerun may need answered.
import { UserError } from '../errors';
import { isNgrokApiError, type NgrokApiError } from './errors';
import type { NgrokApi } from './api';

export const TOOL = 'ngrok-fusionauth';

/** description + metadata of a resource this tool creates for the site on `domain`. */
export function mark(what: string, domain: string): { description: string; metadata: string } {
  return { description: `${TOOL}: ${what}`.slice(0, 255), metadata: JSON.stringify({ created_by: TOOL, domain }) };
}

export function isOurs(metadata: string | undefined, domain?: string): boolean {
  try {
    const parsed = JSON.parse(metadata ?? '') as { created_by?: unknown; domain?: unknown };
    return parsed.created_by === TOOL && (domain === undefined || parsed.domain === domain);
  } catch {
    return false;
  }
}

/** Answers the user gave to earlier questions of the same run. */
export interface Answers {
  /** Recreate resources whose stored ids ngrok no longer knows. */
  recreate?: boolean;
  /** The domain picked from the list, or NEW_DOMAIN. */
  domain?: string;
  /** Remove what this tool created in the other mode, which holds the domain. */
  retire?: boolean;
}

export const NEW_DOMAIN = '(new)';

export type Ask =
  | { kind: 'recreate'; missing: string[] }
  | { kind: 'pick-domain'; domains: string[] }
  | { kind: 'retire'; holder: string };

/** The setup cannot go on without the user's word; the step turns this into a question. */
export class NeedsAnswer extends UserError {
  constructor(
    readonly ask: Ask,
    message: string,
    hint?: string,
  ) {
    super(message, { hint });
    this.name = 'NeedsAnswer';
  }
}

export interface Outcome<T> {
  item: T;
  how: 'verified' | 'found' | 'created';
}

/**
 * Looks for the resource first and creates it only when it is not there, recording the id the moment
 * the create answers (and the id of one found carrying our mark: a create whose answer was lost).
 * Retried on 5xx and dropped connections, each attempt looking again before it creates.
 */
export function findOrCreate<T extends { id: string; metadata: string }>(
  api: NgrokApi,
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
  record: (id: string) => void,
  domain: string,
): Promise<Outcome<T>> {
  return api.retrying(async () => {
    const found = await find();
    if (found) {
      if (isOurs(found.metadata, domain)) record(found.id);
      return { item: found, how: 'found' as const };
    }
    const item = await create();
    record(item.id);
    return { item, how: 'created' as const };
  });
}

/**
 * Reads a resource by its stored id. A 404 means it was deleted behind our back: without the user's
 * word to recreate it, that is a question; with it, the id is forgotten and undefined returned.
 */
export async function verifyStored<T>(
  read: () => Promise<T>,
  what: string,
  answers: Answers,
  forget: () => void,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (!isNgrokApiError(error, 404)) throw error;
    if (!answers.recreate) {
      throw new NeedsAnswer(
        { kind: 'recreate', missing: [what] },
        `${what}, stored from an earlier run, no longer exists on ngrok (deleted in the dashboard?).`,
        'It can be created again; nothing else is changed.',
      );
    }
    forget();
    return undefined;
  }
}

export type { NgrokApiError };
