// A set of files (report.json, report.md, junit.xml, charts) that readers see whole or not at all.
//
// The set is written into a fresh hidden sibling directory, `.NAME.seprof-PID-NS-RANDOM`, and then
// published by renaming a symbolic link over NAME: rename() is atomic, so NAME always points at
// one complete set, however the run ends (killed, disk full) and however many reports race.
// Every set carries a marker (set-marker.ts) listing the files written into it: a set is
// replaced or removed only as far as its marker proves the files seprof's, and a set no longer
// pointed at is removed once its writer is gone (set-owner.ts).
// Where links cannot be made (Windows without developer mode, some network and FAT file
// systems), or with `plain`, the set is renamed to NAME itself: still whole, but between
// moving the old set aside and the new one in, NAME is briefly absent.
import { lstatSync, mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { IoError, systemReason, UsageError } from '../errors';
import { makeDirectories } from './directories';
import { MARKER, markerText, partialName, removeProvenSet, unprovenEntries } from './set-marker';
import { isAbandoned, ownerTag } from './set-owner';
import { lstatOrUndefined, randomSuffix, writeDurably } from './write-file';

export interface OutputSet {
  /** The directory the user named: it becomes a link to the complete set. */
  dir: string;
  files: readonly (readonly [name: string, text: string])[];
  /** Files this run read: the set must not replace them. */
  inputs: readonly string[];
  /** NAME a plain directory rather than a link to the set (report --plain-out). */
  plain?: boolean | undefined;
}

/** What symlink() says where a file system or a user may not make links. */
const NO_LINKS = new Set(['EPERM', 'EACCES', 'ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', 'EINVAL']);

/**
 * A set, its link before publishing, or a directory moved aside to publish over it: the
 * writer's pid, its namespace (set-owner.ts; absent in an older seprof's names), a random part.
 */
const SET_NAME = /^\.(.+)\.seprof-(\d+)-(?:([0-9a-f]{8})-)?[0-9a-f]+(?:\.link|\.old)?$/;

/** How long ago `path` was last written into (a set gains files as it is written), in ms. */
const ageOf = (path: string): number => Date.now() - lstatSync(path).mtimeMs;

/** The link target `NAME` points at now, if it is a link. */
const currentTarget = (link: string): string | undefined => (lstatOrUndefined(link)?.isSymbolicLink() === true ? readlinkSync(link) : undefined);

/** Removes what is left of abandoned runs beside `link`: their links, and their sets as far as proven seprof's. */
function removeStaleSets(parent: string, base: string, link: string): void {
  for (const name of readdirSync(parent)) {
    const match = SET_NAME.exec(name);
    if (match === null || match[1] !== base) continue;
    const path = join(parent, name);
    const owner = { pid: Number(match[2]), namespace: match[3] };
    if (name === currentTarget(link) || !isAbandoned(owner, ageOf(path))) continue;
    if (lstatSync(path).isSymbolicLink()) rmSync(path, { force: true });
    else if (lstatSync(path).isDirectory()) removeProvenSet(path);
  }
}

/** "a, b and 3 more": the first names of a list, for a one-line message. */
function someOf(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/**
 * Refuses an --out that is not seprof's to replace, or that holds an input of this run. A racing
 * report may publish its set and remove the one NAME pointed at while this one checks it: then
 * the check starts again on the set NAME points at now.
 */
function checkTarget(set: OutputSet, target: string, parent: string): void {
  for (let attempt = 1; ; attempt++) {
    const pointsAt = currentTarget(target);
    try {
      checkCurrentSet(set, target, parent);
      return;
    } catch (error) {
      if (attempt >= 10 || currentTarget(target) === pointsAt) throw error;
    }
  }
}

function checkCurrentSet(set: OutputSet, target: string, parent: string): void {
  const stats = lstatOrUndefined(target);
  if (stats === undefined) return;
  let setDir = target;
  if (stats.isSymbolicLink()) {
    const pointsAt = readlinkSync(target);
    if (!SET_NAME.test(pointsAt) || dirname(resolve(parent, pointsAt)) !== parent) {
      throw new UsageError(`--out ${set.dir} is a link seprof did not make: give a new directory`);
    }
    setDir = resolve(parent, pointsAt);
    if (lstatOrUndefined(setDir)?.isDirectory() !== true)
      throw new UsageError(`--out ${set.dir} is a link to a report set that is gone: remove the link or give a new directory`);
  } else if (!stats.isDirectory()) {
    throw new UsageError(`--out ${set.dir} is a file, not a directory`);
  }
  const real = realpathSync(setDir);
  for (const input of set.inputs) {
    let path: string;
    try {
      path = realpathSync(input);
    } catch {
      continue;
    }
    if (path.startsWith(real + sep)) throw new UsageError(`--out ${set.dir} holds ${input}, an input of this run: write the report elsewhere`);
  }
  const foreign = unprovenEntries(setDir);
  if (foreign.length > 0) {
    throw new UsageError(`--out ${set.dir} holds files seprof did not write, or changed since (${someOf(foreign)}): give a new or empty directory`);
  }
}

/**
 * Moves the link (or the set itself) over `target`. A directory (empty, or a set published as
 * a plain directory) cannot be replaced atomically, so it is moved aside first; a link is
 * removed before a directory takes its place (its set is then stale); racing runs doing the
 * same retry.
 */
function publish(entry: string, target: string, aside: string): void {
  const isDirectory = lstatOrUndefined(entry)?.isDirectory() === true;
  for (let attempt = 1; ; attempt++) {
    try {
      const existing = lstatOrUndefined(target);
      if (existing?.isDirectory() === true) renameSync(target, aside);
      else if (isDirectory && existing?.isSymbolicLink() === true) rmSync(target);
      renameSync(entry, target);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 10 || !(code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST')) throw error;
    }
  }
  if (lstatOrUndefined(aside) !== undefined) removeProvenSet(aside);
}

/** The link to the set, or undefined for a plain directory: asked for, or where links cannot be made. */
function linkTo(staging: string, link: string, plain: boolean): string | undefined {
  if (plain) return undefined;
  try {
    symlinkSync(basename(staging), link);
    return link;
  } catch (error) {
    if (NO_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** The marker first, then each file under a temporary name renamed into place: nothing in a set is ever half a file. */
function writeSet(staging: string, files: OutputSet['files']): void {
  const bytes = files.map(([name, text]) => [name, Buffer.from(text, 'utf8')] as const);
  writeDurably(join(staging, MARKER), markerText(bytes));
  for (const [name, content] of bytes) {
    writeDurably(join(staging, partialName(name)), content);
    renameSync(join(staging, partialName(name)), join(staging, name));
  }
}

export function writeOutputSet(set: OutputSet): void {
  if (set.dir.trim() === '') throw new UsageError("--out needs a directory, got ''");
  const target = resolve(set.dir);
  const parent = dirname(target);
  const base = basename(target);
  const fail = (error: unknown): IoError => new IoError(`cannot write the report into ${set.dir}: ${systemReason(error)}`);
  try {
    makeDirectories(parent);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new UsageError(`--out ${set.dir}: a part of the path is a file, not a directory`);
    throw fail(error);
  }
  try {
    checkTarget(set, target, parent);
  } catch (error) {
    throw error instanceof UsageError ? error : fail(error);
  }
  const id = `${ownerTag()}-${randomSuffix()}`;
  const staging = join(parent, `.${base}.seprof-${id}`);
  const link = `${staging}.link`;
  let made = false;
  try {
    mkdirSync(staging);
    made = true;
    writeSet(staging, set.files);
    publish(linkTo(staging, link, set.plain === true) ?? staging, target, `${staging}.old`);
  } catch (error) {
    rmSync(link, { force: true });
    try {
      if (made && currentTarget(target) !== basename(staging) && lstatOrUndefined(staging) !== undefined) removeProvenSet(staging);
    } catch {
      // What is left is proven seprof's: the next report removes it.
    }
    throw error instanceof UsageError ? error : fail(error);
  } finally {
    try {
      removeStaleSets(parent, base, target);
    } catch {
      // Cleaning after others is best effort: the next report tries again.
    }
  }
}
