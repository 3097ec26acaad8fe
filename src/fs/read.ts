// Reading the files a user names (suites, reports, point lists): bounded, so that
// `--suite /dev/zero` is refused instead of filling memory, and forgiving of a UTF-8 BOM.
import { closeSync, openSync, readSync } from 'node:fs';
import { readFailure, UsageError } from '../errors';

/** Larger than any real suite, report or point list (a 10,000-case report is about 10 MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

const CHUNK = 1024 * 1024;

/** The text of `path`, read in chunks up to `maxBytes` (devices and pipes have no size to check first). */
export function readInputText(path: string, what: string, maxBytes: number = MAX_INPUT_BYTES): string {
  const chunks: Buffer[] = [];
  let total = 0;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw readFailure(what, error);
  }
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) throw new UsageError(`${what} is larger than ${maxBytes / (1024 * 1024)} MB: not a file seprof reads`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw readFailure(what, error);
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks, total).toString('utf8').replace(/^\uFEFF/, '');
}
