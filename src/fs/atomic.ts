// Atomic file writes: a reader sees the old file or the whole new one, never a torn one.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes to a hidden temp file beside the target, flushes it to disk, then renames it over
 * the target. rename() within one directory is atomic on POSIX, so a run killed at any
 * point leaves either the previous file or the complete new one (and at worst a stray
 * `.name.*.tmp`, which no reader looks at).
 */
export function writeFileAtomic(path: string, data: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeFileSync(fd, data); // loops until every byte is written
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
