// Why a file-system call failed, in words a person can act on, for sentences of the form
// "Cannot <do> <path>: <this>.". Node's own messages name the system call and the errno
// ("EACCES: permission denied, open '/x/config.json'"): right for a bug report, not for a user.

const errno = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** A failure of the file system (it carries an errno code and the call), rather than a bug of ours. */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof errno(error) === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}

export function fsProblem(error: unknown): string {
  const code = errno(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'the file system is read-only';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EDQUOT') return 'your disk quota is used up';
  if (code === 'ENOTDIR') return 'a folder on its path is a file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'ENAMETOOLONG') return 'the path is too long';
  if (code === 'ELOOP') return 'its symbolic links go round in a loop';
  if (code === 'ENOENT') return 'it does not exist';
  return (error as Error).message;
}
