// What the ngrok setup shares across modes: the mark on everything this tool creates (so that a rerun
// after a crash can tell its own resources from the user's, and record them for `destroy`), the
// find-or-create that never makes a second one, and the questions a rerun may need answered.
import { UserError } from '../errors';
import { isNgrokApiError, type NgrokApiError } from './errors';
import type { NgrokApi } from './api';
import { MAX_DIR_IN_MARK, ownerWords, whoseMark, type Others, type Whose } from '../ownership';
import type { SetupOwner } from '../store';

export const TOOL = 'ngrok-fusionauth';

/** ngrok refuses longer metadata: "The metadata field cannot be longer than 4096 characters" (https://ngrok.com/docs/errors/err_ngrok_18013; the sandbox counts bytes, the stricter reading). */
const MAX_METADATA_BYTES = 4096;

/**
 * description + metadata of a resource this tool creates for the site on `domain`: the metadata names
 * the setup (its random id, and its folder so that another setup can say whose it is). The folder is
 * shortened when the whole would not fit ngrok's metadata; the description keeps to 255 bytes
 * (https://ngrok.com/docs/api/resources/endpoints/).
 */
export function mark(owner: SetupOwner, what: string, domain: string): { description: string; metadata: string } {
  let dir = owner.dir.slice(0, MAX_DIR_IN_MARK);
  const metadata = () =>
    JSON.stringify({ created_by: TOOL, setup_id: owner.setupId, config_dir: dir, domain: domain.slice(0, 253) });
  while (Buffer.byteLength(metadata()) > MAX_METADATA_BYTES) dir = dir.slice(0, Math.floor(dir.length / 2));
  return { description: `${TOOL}: ${what}`.slice(0, 255), metadata: metadata() };
}

/** Whose an ngrok resource is, by the mark in its metadata. */
export function whose(metadata: string | undefined, owner: SetupOwner): Whose {
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata ?? '');
  } catch {
    return { kind: 'not-ours' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { kind: 'not-ours' };
  const m = parsed as { created_by?: unknown; setup_id?: unknown; config_dir?: unknown };
  return whoseMark({ tool: m.created_by, setupId: m.setup_id, dir: m.config_dir }, TOOL, owner);
}

/**
 * What to do with an object another setup made, as the person answered (or `--use-existing` /
 * `--create-new` said); without an answer, a NeedsAnswer. A mark without a setup id (this tool
 * before setup ids) is treated as another setup's: like `terraform import`, taking an object over is
 * the person's decision, never a guess — the setup that made it may still exist and rely on it.
 */
export function othersObject(what: string, who: Others, answers: Answers, canCreateBeside: boolean): 'use' | 'new' {
  const words = `${what} is ${ownerWords(who)}`;
  if (answers.others === 'use') return 'use';
  if (answers.others === 'new') {
    if (canCreateBeside) return 'new';
    throw new UserError(`${words}, and a second one cannot share it.`, {
      hint: 'Give this setup another domain (edit the Domain, or --url), or use that one (--use-existing: it stays theirs).',
    });
  }
  throw new NeedsAnswer(
    { kind: 'others', what, owner: ownerWords(who), canCreateBeside },
    `${words}.`,
    canCreateBeside
      ? 'Use it anyway (it stays theirs: destroy here leaves it), or create a new one for this setup.'
      : 'Use it anyway (it stays theirs: destroy here leaves it), or give this setup another domain.',
  );
}

/** Answers the user gave to earlier questions of the same run. */
export interface Answers {
  /** Recreate resources whose stored ids ngrok no longer knows. */
  recreate?: boolean;
  /** The domain picked from the list, or NEW_DOMAIN. */
  domain?: string;
  /** An object another setup of this tool made: use it (it stays theirs) or create this setup its own. */
  others?: 'use' | 'new';
}

export const NEW_DOMAIN = '(new)';

export type Ask =
  | { kind: 'recreate'; missing: string[] }
  | { kind: 'pick-domain'; domains: string[] }
  | { kind: 'others'; what: string; owner: string; canCreateBeside: boolean };

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

/** What a find-or-create is about: its name in a question, and whether a second one may exist beside another setup's. */
export interface Wanted {
  what: string;
  owner: SetupOwner;
  answers: Answers;
  /** False for what a URL or a host name identifies (an endpoint, an edge on a domain): only one can be there. */
  canCreateBeside: boolean;
}

/**
 * Looks for the resource first and creates it only when it is not there, recording the id the moment
 * the create answers (and the id of one found carrying this setup's mark: a create whose answer was
 * lost). One found carrying another setup's mark is a question (ownership.ts `othersObject`); one
 * without this tool's mark is the person's own, used and never recorded. Retried on 5xx and dropped
 * connections, each attempt looking again before it creates.
 */
export function findOrCreate<T extends { id: string; metadata: string }>(
  api: NgrokApi,
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
  record: (id: string) => void,
  wanted: Wanted,
): Promise<Outcome<T>> {
  return api.retrying(async () => {
    const found = await find();
    if (found) {
      const who = whose(found.metadata, wanted.owner);
      if (who.kind === 'mine') record(found.id);
      if (who.kind === 'mine' || who.kind === 'not-ours') return { item: found, how: 'found' as const };
      if (othersObject(wanted.what, who, wanted.answers, wanted.canCreateBeside) === 'use')
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
