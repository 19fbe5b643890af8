// Whose a remote object is. Every object this tool creates carries a mark naming the setup that made
// it (the random `created.setupId` of its store, and its config folder): ngrok's metadata
// (core/ngrok/ownership.ts), a FusionAuth application's `data` (core/fusionauth/application.ts). A
// setup adopts only its own marks; another setup's object is a question, never taken silently.
import type { SetupOwner } from './store';
import { sanitize } from './text';

/**
 * This setup's, another setup's of this tool (with its folder when the mark says it), one marked by a
 * version of this tool that named no setup, or not this tool's (the person's own).
 */
export type Whose =
  { kind: 'mine' } | { kind: 'other-setup'; dir?: string } | { kind: 'old-mark' } | { kind: 'not-ours' };

export type Others = Exclude<Whose, { kind: 'mine' | 'not-ours' }>;

/** What a mark says, read from wherever the service keeps it. */
export interface MarkFields {
  /** The tool's name when this tool made it. */
  tool?: unknown;
  setupId?: unknown;
  dir?: unknown;
}

export function whoseMark(mark: MarkFields | undefined, tool: string, owner: SetupOwner): Whose {
  if (!mark || mark.tool !== tool) return { kind: 'not-ours' };
  if (typeof mark.setupId !== 'string') return { kind: 'old-mark' };
  if (mark.setupId === owner.setupId) return { kind: 'mine' };
  return { kind: 'other-setup', dir: typeof mark.dir === 'string' ? mark.dir : undefined };
}

/** In words, for a question or a refusal: "owned by another setup of this tool in /home/a/.config/x". */
export function ownerWords(who: Others): string {
  return who.kind === 'old-mark'
    ? 'marked by an earlier version of this tool, which did not record which setup made it'
    : `owned by another setup of this tool${who.dir ? ` in ${sanitize(who.dir)}` : ''}`;
}

/** The longest config folder written into a mark (ngrok's metadata holds 4096 bytes). */
export const MAX_DIR_IN_MARK = 1024;

/** The flags that answer the question about another setup's object without a prompt (setup --no-input). */
export const OTHERS_FLAGS =
  'pass --use-existing to use it (it stays theirs) or --create-new to create this setup its own';
