// What a step boundary compares to tell whether another process wrote the settings file since this one
// last read or wrote it: one lstat, no read. conf writes atomically (a temporary file renamed over the
// old one), so every write of ours or of another process is a new inode; size and mtime catch a writer
// that rewrites in place (an editor), and the kind catches a link or a folder put in the file's place.
import { lstatSync, type BigIntStats } from 'node:fs';

export interface FileStamp {
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  /** The type bits of st_mode: a regular file, a symbolic link, a folder… */
  readonly type: number;
}

const TYPE_BITS = 0o170000n;

export function stampFrom(stats: BigIntStats): FileStamp {
  return { ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs, type: Number(stats.mode & TYPE_BITS) };
}

/** The stamp of whatever is at `file` now (a link itself, not what it points to); undefined when nothing is. */
export function stampOf(file: string): FileStamp | undefined {
  const stats = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  return stats && stampFrom(stats);
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.type === b.type;
}
