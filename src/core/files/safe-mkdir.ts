// Creating a folder the user names (--site-dir, --config-dir) without Node's recursive mkdir.
//
// Why: on procfs, mkdir(2) of a new name answers ENOENT although the parent exists, and Node's
// recursive mkdir (sync and promise alike) reads ENOENT as "make the parent first", makes it (EEXIST:
// fine) and tries again, forever: `--site-dir /proc/x` spun at 100% CPU inside one C++ call, with
// signals never handled. test/core/files/safe-mkdir.test.ts pins that Node still does this. The same
// mechanism, described for Node 18-24 and for Bun: github.com/Kewton/CommandMate/issues/1774,
// github.com/oven-sh/bun/pull/40600.
//
// How: walk up to the nearest ancestor that exists, check that it is a folder we may create in, then
// create each missing level with a plain, non-recursive mkdir. That makes at most one mkdir call per
// path component, whatever the file system answers, and the first mkdir is the probe: a file system
// that does not take new folders says so there (procfs: ENOENT, sysfs: EPERM), so no list of
// file-system types (statfs magic numbers, always incomplete) is needed to refuse it.
import { accessSync, chmodSync, constants, lstatSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { fsProblem as describe } from './fs-problem';

export interface FolderToMake {
  /** What the folder is, for the sentence: "the site folder". */
  what: string;
  /** Mode of the folders created, exactly (the umask does not narrow it); those that exist keep theirs. */
  mode?: number;
  /** What to do instead, shown under the sentence. */
  hint?: string;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Makes `dir` and any missing parents, like `mkdir -p`, in a bounded number of system calls, and
 * answers the folders it made (top first; not those someone else made meanwhile). Every failure is a
 * UserError naming the folder and why.
 */
export function makeFolder(dir: string, options: FolderToMake): string[] {
  const target = path.resolve(dir);
  const refuse = (why: string, cause?: unknown) =>
    new UserError(`Cannot create ${options.what} ${target}: ${why}.`, {
      hint: options.hint ?? 'Choose a folder on a normal disk that you can write to.',
      cause,
    });

  // Up to the nearest existing ancestor; `missing` is what is below it, top first.
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    try {
      if (!statSync(existing).isDirectory()) throw refuse(`${existing} is a file, not a folder`);
      break;
    } catch (error) {
      if (error instanceof UserError) throw error;
      if (errno(error) === 'ENOTDIR') {
        missing.unshift(existing);
        existing = path.dirname(existing);
        continue;
      }
      if (errno(error) !== 'ENOENT') throw refuse(describe(error), error);
      if (isLink(existing)) throw refuse(`${existing} is a symbolic link to something that does not exist`);
      const parent = path.dirname(existing);
      if (parent === existing) throw refuse('its root does not exist');
      missing.unshift(existing);
      existing = parent;
    }
  }
  if (missing.length === 0) return [];
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw refuse(`you may not create folders in ${existing}`, error);
  }
  const made: string[] = [];
  for (const folder of missing) {
    try {
      mkdirSync(folder, { mode: options.mode });
      // mkdir's mode passes through the umask; a folder we just made is ours to set exactly.
      if (options.mode !== undefined) chmodSync(folder, options.mode);
      made.push(folder);
    } catch (error) {
      const code = errno(error);
      if (code === 'EEXIST' && isFolder(folder)) continue; // made meanwhile by someone else: as good
      // The parent exists (found above, or just made), so ENOENT is the file system refusing: procfs.
      if (code === 'ENOENT')
        throw refuse(
          `the file system of ${path.dirname(folder)} does not take new folders (procfs and sysfs do not)`,
          error,
        );
      throw refuse(describe(error), error);
    }
  }
  return made;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
