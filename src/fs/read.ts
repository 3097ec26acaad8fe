// Reading the files a user names (suites, reports, point lists): regular files only (a FIFO
// would block the run until someone writes into it, /dev/zero would never end), bounded (a
// larger file is refused by its size, before a byte is read), forgiving of a UTF-8 BOM.
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { readFailure, UsageError } from '../errors';
import { MAX_INPUT_BYTES } from './byte-source';

export { MAX_INPUT_BYTES };

const CHUNK = 1024 * 1024;

const tooLarge = (what: string, maxBytes: number): UsageError =>
  new UsageError(`${what} is larger than ${maxBytes / (1024 * 1024)} MB: not a file seprof reads`);

/** What kind of thing a path that is not a regular file is, for the refusal. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** A regular file of at most `maxBytes`, told by stat before it is opened: opening a FIFO blocks. */
export function checkRegularFile(path: string, what: string, maxBytes: number): void {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw readFailure(what, error);
  }
  if (!stats.isFile()) throw new UsageError(`cannot read ${what}: it is ${kindOf(stats)}, and seprof reads regular files only`);
  if (stats.size > maxBytes) throw tooLarge(what, maxBytes);
}

/** `use` on a descriptor of `path` opened for reading, closed however `use` ends; a failure to open is `what`'s. */
export function withOpenFile<T>(path: string, what: string, use: (fd: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw readFailure(what, error);
  }
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

/** The text of `path`, a regular file, read in chunks up to `maxBytes` (it may grow while it is read). */
export function readInputText(path: string, what: string, maxBytes: number = MAX_INPUT_BYTES): string {
  checkRegularFile(path, what, maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  withOpenFile(path, what, (fd) => {
    try {
      for (;;) {
        const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
        const read = readSync(fd, chunk, 0, chunk.length, null);
        if (read === 0) break;
        chunks.push(chunk.subarray(0, read));
        total += read;
        if (total > maxBytes) throw tooLarge(what, maxBytes);
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw readFailure(what, error);
    }
  });
  return Buffer.concat(chunks, total)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}
