// A folder this tool keeps secrets in and reads back as its own (the config folder): it must be one
// that only its owner can change. What another user can write into it, this tool would read as its own
// settings (a FusionAuth URL of theirs would then receive the API key) and append its log to (a file
// of theirs, which they can read).
//
// The rule is OpenSSH's StrictModes for ~/.ssh (sshd_config(5): "check file modes and ownership of the
// user's files and home directory"): owned by the user or by root, and not writable by group or others.
// A shared folder with the sticky bit (/tmp, 1777) is refused too: the sticky bit only stops others
// from deleting or renaming what is already there (chmod(1), "restricted deletion flag"), not from
// putting a config.json of their own in it before we write ours.
//
// Nothing is changed here: a folder the user gave keeps its mode (only a folder this tool made is
// tightened, by makeFolder), and a folder that is not there is not made.
import { statSync } from 'node:fs';
import { UserError } from '../errors';
import { fsProblem } from './fs-problem';

export interface PrivateFolder {
  /** What the folder is, for the sentence: "The config folder". */
  what: string;
  /** What to do instead, shown under the sentence. */
  hint: string;
}

/** 'absent' when nothing is there (a missing folder is fine: it is made on the first write). */
export function checkPrivateFolder(dir: string, folder: PrivateFolder): 'absent' | 'present' {
  const refuse = (why: string, cause?: unknown) =>
    new UserError(`${folder.what} ${dir} ${why}.`, { hint: folder.hint, cause });
  let stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    throw refuse(`cannot be used: ${fsProblem(error)}`, error);
  }
  if (!stats.isDirectory()) throw refuse('is a file, not a folder');
  // Windows has neither owners by number nor these mode bits.
  if (process.platform === 'win32') return 'present';
  const me = process.getuid?.();
  if (me !== undefined && stats.uid !== me && stats.uid !== 0)
    throw refuse(
      `belongs to another user (uid ${stats.uid}): what it holds is theirs to change, so it is not read as this tool's settings`,
    );
  if ((stats.mode & 0o022) !== 0) {
    throw refuse(
      `may be written by other users (mode ${(stats.mode & 0o7777).toString(8)}): what they put there would be read as this tool's settings, so it is not used`,
    );
  }
  return 'present';
}
