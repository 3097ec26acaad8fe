// One file that readers see whole or not at all: written beside its target under a hidden
// temporary name, flushed to disk, then renamed (replace) or hard-linked (create only) into place.
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoError, systemReason, UsageError } from '../errors';
import { makeDirectories } from './directories';

/** Eight random hex digits for a temporary name; node:crypto loads here, not at start: most runs write nothing. */
export function randomSuffix(): string {
  return (require('node:crypto') as typeof import('node:crypto')).randomBytes(4).toString('hex');
}

/** Creates `path` (never an existing file) and writes `text`, flushed to disk. */
export function writeDurably(path: string, text: string | Buffer): void {
  const fd = openSync(path, 'wx');
  try {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What is at `path` (a link itself, not its target), or undefined when nothing is. */
export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export type WriteMode = 'replace' | 'create';

/**
 * Writes `text` to `path` atomically. `create` refuses an existing file (UsageError): link()
 * fails rather than replace, so two racing runs cannot both create it. Only a regular file is
 * replaced: a rename over a link, a device (/dev/stdout) or a directory would replace that.
 */
export function writeFileAtomically(path: string, text: string, mode: WriteMode, what: string): void {
  let existing: Stats | undefined;
  try {
    existing = lstatOrUndefined(path);
  } catch (error) {
    throw new IoError(`cannot write ${path}: ${systemReason(error)}`);
  }
  if (existing !== undefined && mode === 'create') throw new UsageError(`${path} exists: ${what} does not overwrite files`);
  if (existing !== undefined && !existing.isFile()) throw new UsageError(`${path} is not a regular file: ${what} writes files only`);
  const temporary = join(dirname(path), `.${basename(path)}.seprof-${process.pid}-${randomSuffix()}`);
  try {
    makeDirectories(dirname(path));
    writeDurably(temporary, text);
    if (mode === 'replace') renameSync(temporary, path);
    else linkSync(temporary, path);
  } catch (error) {
    if (mode === 'create' && (error as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${path} exists: ${what} does not overwrite files`);
    throw new IoError(`cannot write ${path}: ${systemReason(error)}`);
  } finally {
    rmSync(temporary, { force: true });
  }
}
