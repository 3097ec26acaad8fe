// One file that readers see whole or not at all: written beside its target under a hidden
// temporary name, flushed to disk, then renamed (replace) or hard-linked (create only) into place.
import { closeSync, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
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

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output that is one of the run's inputs, by device and inode (the same file under
 * another name, through a link or a hard link): `compare b.json b.json --junit b.json` must
 * not replace the baseline it compares against.
 */
export function refuseInputs(path: string, inputs: readonly string[]): void {
  const output = statOrUndefined(path);
  if (output === undefined) return;
  const input = inputs.find((candidate) => {
    const read = statOrUndefined(candidate);
    return read !== undefined && read.dev === output.dev && read.ino === output.ino;
  });
  if (input !== undefined)
    throw new UsageError(`cannot write ${path}: it is ${input === path ? 'an input' : `${input}, an input`} of this run; write it elsewhere`);
}

/** The failure of a path that cannot hold a file: a part of it is a file (the user's mistake), or the system refused. */
function pathFailure(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return new UsageError(`cannot write ${path}: a part of the path is a file, not a directory`);
  return new IoError(`cannot write ${path}: ${systemReason(error)}`);
}

/**
 * Writes `text` to `path` atomically. `create` refuses an existing file (UsageError): link()
 * fails rather than replace, so two racing runs cannot both create it. Only a regular file is
 * replaced: a rename over a link, a device (/dev/stdout) or a directory would replace that.
 */
export function writeFileAtomically(path: string, text: string, mode: WriteMode, what: string): void {
  if (path.trim() === '') throw new UsageError(`${what} needs a file name, got ''`);
  let existing: Stats | undefined;
  try {
    existing = lstatOrUndefined(path);
  } catch (error) {
    throw pathFailure(path, error);
  }
  if (existing !== undefined && mode === 'create') throw new UsageError(`${path} exists: ${what} does not overwrite files`);
  if (existing !== undefined && !existing.isFile()) throw new UsageError(`${path} is not a regular file: ${what} writes files only`);
  const temporary = join(dirname(path), `.${basename(path)}.seprof-${process.pid}-${randomSuffix()}`);
  try {
    makeDirectories(dirname(path));
  } catch (error) {
    throw pathFailure(path, error);
  }
  try {
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
