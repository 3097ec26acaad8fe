/** A mistake in what the user asked for: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The system refused to read or write one of the user's paths (full disk, read-only, permissions): exit 3. */
export class IoError extends Error {
  override name = 'IoError';
}

/** Exit codes, as docs/cli.md documents them. */
export const EXIT_OK = 0;
/** A failed cross-check or regression. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_IO = 3;
/** A bug in seprof: no input should get here. */
export const EXIT_INTERNAL = 4;

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** "no space left on the device (ENOSPC)": the reason of a failed system call, without its internal paths. */
export function systemReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return `${REASONS[code] ?? 'failed'} (${code})`;
}

/** An input the user named: a missing one is a usage mistake, any other refusal an I/O failure. */
export function readFailure(what: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = `cannot read ${what}: ${systemReason(error)}`;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? new UsageError(message) : new IoError(message);
}
