// A set of files (report.json, report.md, junit.xml, charts) that readers see whole or not at all.
//
// The set is written into a fresh hidden sibling directory, `.NAME.seprof-PID-RANDOM`, and then
// published by renaming a symbolic link over NAME: rename() is atomic, so NAME always points at
// one complete set, however the run ends (killed, disk full) and however many reports race.
// Sets no longer pointed at are removed once the process that wrote them has ended.
// Where links cannot be made (Windows without developer mode, some network and FAT file
// systems), or with `plain`, the set is renamed to NAME itself: still whole, but between
// moving the old set aside and the new one in, NAME is briefly absent.
import { mkdirSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { IoError, systemReason, UsageError } from '../errors';
import { makeDirectories } from './directories';
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

/** A set, its link before publishing, or a plain directory an older seprof wrote, moved aside. */
const SET_NAME = /^\.(.+)\.seprof-(\d+)-[0-9a-f]+(?:\.link|\.old)?$/;

function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether `name` in `parent` is a set of `base` that no process writes or publishes any more. */
function isStale(base: string, name: string, current: string | undefined): boolean {
  const match = SET_NAME.exec(name);
  if (match === null || match[1] !== base || name === current) return false;
  const pid = Number(match[2]);
  return pid === process.pid || processEnded(pid);
}

function removeStaleSets(parent: string, base: string, link: string): void {
  const current = lstatOrUndefined(link)?.isSymbolicLink() === true ? readlinkSync(link) : undefined;
  for (const name of readdirSync(parent)) {
    if (isStale(base, name, current)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/** The user's directory as an earlier seprof left it: a plain directory of report files only. */
function isPlainReportDirectory(dir: string, fileNames: ReadonlySet<string>): boolean {
  return readdirSync(dir, { withFileTypes: true }).every((entry) => entry.isFile() && (fileNames.has(entry.name) || entry.name.endsWith('.svg')));
}

/** Refuses an --out that is not seprof's to replace, or that holds an input of this run. */
function checkTarget(set: OutputSet, target: string, parent: string): void {
  const stats = lstatOrUndefined(target);
  if (stats === undefined) return;
  if (stats.isSymbolicLink()) {
    if (!SET_NAME.test(readlinkSync(target)) || dirname(resolve(parent, readlinkSync(target))) !== parent) {
      throw new UsageError(`--out ${set.dir} is a link seprof did not make: give a new directory`);
    }
  } else if (!stats.isDirectory()) {
    throw new UsageError(`--out ${set.dir} is a file, not a directory`);
  } else if (!isPlainReportDirectory(target, new Set(set.files.map(([name]) => name)))) {
    throw new UsageError(`--out ${set.dir} holds files seprof did not write: give a new or empty directory`);
  }
  const real = realpathSync(target);
  for (const input of set.inputs) {
    let path: string;
    try {
      path = realpathSync(input);
    } catch {
      continue;
    }
    if (path.startsWith(real + sep)) throw new UsageError(`--out ${set.dir} holds ${input}, an input of this run: write the report elsewhere`);
  }
}

/**
 * Moves the link (or the set itself) over `target`. A plain directory cannot be replaced
 * atomically, so it is moved aside first; a link is removed before a directory takes its
 * place (its set is then stale); racing runs doing the same retry.
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
  rmSync(aside, { recursive: true, force: true });
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

export function writeOutputSet(set: OutputSet): void {
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
  const id = `${process.pid}-${randomSuffix()}`;
  const staging = join(parent, `.${base}.seprof-${id}`);
  const link = `${staging}.link`;
  try {
    mkdirSync(staging);
    for (const [name, text] of set.files) writeDurably(join(staging, name), text);
    publish(linkTo(staging, link, set.plain === true) ?? staging, target, `${staging}.old`);
  } catch (error) {
    rmSync(link, { force: true });
    rmSync(staging, { recursive: true, force: true });
    throw error instanceof UsageError ? error : fail(error);
  } finally {
    try {
      removeStaleSets(parent, base, target);
    } catch {
      // Cleaning after others is best effort: the next report tries again.
    }
  }
}
