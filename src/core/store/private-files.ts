// The settings file holds the client secret and API keys, and the agent's log can hold tokens: this
// tool keeps them in regular files of its own, mode 0600, inside the 0700 config folder. A link in the
// settings file's place would have the store written wherever it points (conf follows it, and the file
// there keeps its own mode, 0644 say); a folder or a FIFO there is no file to read. Both are refused.
import { chmodSync, lstatSync, type BigIntStats, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';

export class StoreNotAFileError extends UserError {
  constructor(
    readonly file: string,
    what: string,
  ) {
    super(
      `The settings file ${file} is ${what}, not a regular file: it holds secrets, so this tool reads and writes it only as a file of its own (replace it with the file itself, or move it away to start with empty settings).`,
    );
    this.name = 'StoreNotAFileError';
  }
}

function describeKind(stats: Stats | BigIntStats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  return 'a special file';
}

/** Throws StoreNotAFileError unless `stats` (an lstat, or an fstat of what was opened) is a regular file. */
export function refuseUnlessRegularFile(file: string, stats: Stats | BigIntStats): void {
  if (!stats.isFile()) throw new StoreNotAFileError(file, describeKind(stats));
}

/**
 * Makes each of the named files of `dir` that exists 0600 if group or others have any access to it,
 * as an older version or a copy may have left it: the agent's log is opened for appending and conf
 * writes the settings only on the next change, so neither fixes the mode of a file already there.
 * Only regular files: chmod follows a link, and what a link points to is not ours to change.
 */
export function tightenPrivateFiles(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const file = path.join(dir, name);
    const stats = lstatSync(file, { throwIfNoEntry: false });
    if (stats?.isFile() && (stats.mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}
