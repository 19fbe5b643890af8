// Reading a file the user names (a key file, the site's index.html, the policy file, ngrok's config),
// bounded. readFileSync reads until end of file: /dev/zero or /dev/urandom never end (23.8 GB RSS,
// then the OOM killer), a 10 GB file is read whole, and a FIFO blocks the open itself until a writer
// comes, with the event loop stopped so that Ctrl-C is not even seen.
//
// So: stat first and refuse anything but a regular file of at most `maxBytes`, without opening it (a
// device is never opened, a FIFO never waited on); then open, fstat the descriptor and check that it
// is the very file we looked at (same device and inode: a file swapped between stat and open is
// refused, not read); then read at most maxBytes + 1 bytes from that descriptor, so a file that grew
// meanwhile is refused too. Memory is bounded by maxBytes whatever the path points at.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { UserError } from '../errors';

export type FileRefusal = 'missing' | 'denied' | 'folder' | 'not-regular' | 'too-large' | 'changed' | 'unreadable';

/** The file was not read; `reason` lets a caller treat some cases as answers ("too large" is "not ours"). */
export class FileRefusedError extends UserError {
  constructor(
    message: string,
    readonly reason: FileRefusal,
    hint: string | undefined,
    cause?: unknown,
  ) {
    super(message, { hint, cause });
    this.name = 'FileRefusedError';
  }
}

export interface SmallFile {
  /** What the file is, for the sentence: "the FusionAuth API key file". */
  what: string;
  /** The most a legitimate file of this kind can hold. */
  maxBytes: number;
  /** What to do instead, shown under the sentence. */
  hint?: string;
}

/** 1536 → "1.5 KB": sizes in a sentence. */
function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${bytes} bytes`
    : `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'it is a folder';
  if (stats.isFIFO()) return 'it is a named pipe (FIFO), not a regular file, and reading it could wait forever';
  if (stats.isCharacterDevice() || stats.isBlockDevice())
    return 'it is a device, not a regular file, and reading it may never end';
  if (stats.isSocket()) return 'it is a socket, not a regular file';
  return 'it is not a regular file';
}

/** The file's text (UTF-8), or a FileRefusedError naming the file and why. */
export function readSmallFile(file: string, options: SmallFile): string {
  const refuse = (why: string, reason: FileRefusal, cause?: unknown) =>
    new FileRefusedError(`Cannot read ${options.what} ${file}: ${why}.`, reason, options.hint, cause);
  const tooLarge = (size: string) =>
    refuse(`it holds ${size}, more than the ${formatBytes(options.maxBytes)} such a file can hold`, 'too-large');
  let fd: number;
  let looked: Stats;
  try {
    looked = statSync(file);
    if (looked.isDirectory()) throw refuse(kindOf(looked), 'folder');
    if (!looked.isFile()) throw refuse(kindOf(looked), 'not-regular');
    // Exact below a megabyte, where "64 KB" could be a byte over 64 KB or right at it.
    if (looked.size > options.maxBytes)
      throw tooLarge(looked.size < 1024 * 1024 ? `${looked.size} bytes` : formatBytes(looked.size));
    // O_NONBLOCK: should the path have become a FIFO since the stat, the open does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    if (error instanceof FileRefusedError) throw error;
    throw refuse(...systemReason(error), error);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.dev !== looked.dev || opened.ino !== looked.ino)
      throw refuse('it was replaced while being read', 'changed');
    const chunks: Buffer[] = [];
    let total = 0;
    // At most maxBytes + 1, whatever stat said: a file may grow meanwhile, and procfs files say size 0.
    // The extra byte tells a file over the limit from one right at it.
    while (total <= options.maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, options.maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
    }
    if (total > options.maxBytes)
      throw refuse(`it holds more than the ${formatBytes(options.maxBytes)} such a file can hold`, 'too-large');
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (error) {
    if (error instanceof FileRefusedError) throw error;
    throw refuse(...systemReason(error), error);
  } finally {
    closeSync(fd);
  }
}

function systemReason(error: unknown): [string, FileRefusal] {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return ['it does not exist', 'missing'];
  if (code === 'ENOTDIR') return ['a folder on its path is a file', 'missing'];
  if (code === 'EACCES' || code === 'EPERM') return ['permission denied', 'denied'];
  if (code === 'EISDIR') return ['it is a folder', 'folder'];
  if (code === 'ELOOP') return ['its symbolic links go round in a loop', 'unreadable'];
  return [(error as Error).message, 'unreadable'];
}
