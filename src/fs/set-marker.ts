// The marker every report set carries: each file seprof wrote into it, with its size and SHA-256. seprof replaces or removes a set only as far as the marker proves the files its
// own, unchanged: a file a user added or edited inside a set, or one of theirs in a folder
// that merely looks like a report, is never removed.
import { lstatSync, readdirSync, readFileSync, rmdirSync, rmSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export const MARKER = '.seprof-set.json';
const SCHEMA = 'seprof-report-set';

interface FileRecord {
  bytes: number;
  sha256: string;
}

export interface Marker {
  files: ReadonlyMap<string, FileRecord>;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** node:crypto loads here, not at start: most runs write no set. */
const sha256 = (bytes: Buffer): string => (require('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(bytes).digest('hex');

/** A file written under this name first, then renamed: a run killed mid-write leaves it, never a partial NAME. */
export const partialName = (name: string): string => `.${name}.partial`;

export function markerText(files: readonly (readonly [name: string, bytes: Buffer])[]): string {
  const records = Object.fromEntries(files.map(([name, bytes]) => [name, { bytes: bytes.length, sha256: sha256(bytes) }]));
  return `${JSON.stringify({ schema: SCHEMA, files: records }, null, 2)}\n`;
}

/** The marker of `dir`; undefined when it has none, or one seprof did not write whole. */
export function readMarker(dir: string): Marker | undefined {
  let doc: unknown;
  try {
    const path = join(dir, MARKER);
    if (!lstatSync(path).isFile() || lstatSync(path).size > 1024 * 1024) return undefined;
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isObject(doc) || doc['schema'] !== SCHEMA || !isObject(doc['files'])) return undefined;
  const files = new Map<string, FileRecord>();
  for (const [name, record] of Object.entries(doc['files'])) {
    if (!isObject(record) || !Number.isSafeInteger(record['bytes']) || typeof record['sha256'] !== 'string') return undefined;
    files.set(name, { bytes: record['bytes'] as number, sha256: record['sha256'] });
  }
  return { files };
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Whether `name` in `dir` is, byte for byte, what the marker says seprof wrote (or its unfinished temporary). */
function isProven(dir: string, name: string, marker: Marker): boolean {
  if (name === MARKER) return true;
  const partial = /^\.(.+)\.partial$/.exec(name);
  const stats = lstatOrUndefined(join(dir, name));
  if (stats === undefined) return true; // gone meanwhile: nothing of anyone's to keep
  if (!stats.isFile()) return false;
  if (partial !== null && marker.files.has(partial[1] ?? '')) return true;
  const record = marker.files.get(name);
  return record !== undefined && stats.size === record.bytes && sha256(readFileSync(join(dir, name))) === record.sha256;
}

/** The entries of a set directory that seprof cannot prove it wrote as they are: a user's. */
export function unprovenEntries(dir: string): string[] {
  const entries = readdirSync(dir);
  const marker = readMarker(dir);
  if (marker === undefined) return entries;
  return entries.filter((name) => !isProven(dir, name, marker));
}

/**
 * Removes what seprof wrote in a set directory, and the directory when nothing else is left.
 * Without a marker only an empty directory (a run killed before writing one) goes, or one
 * holding nothing but a marker cut short.
 */
export function removeProvenSet(dir: string): void {
  const marker = readMarker(dir);
  const entries = readdirSync(dir);
  if (marker === undefined) {
    if (entries.length === 1 && entries[0] === MARKER) rmSync(join(dir, MARKER), { force: true });
    else if (entries.length > 0) return;
  } else {
    const others = entries.filter((name) => name !== MARKER && !isProven(dir, name, marker));
    for (const name of entries) if (name !== MARKER && !others.includes(name)) rmSync(join(dir, name), { force: true });
    if (others.length > 0) return; // a user's file is inside: it, the marker and the directory stay
    rmSync(join(dir, MARKER), { force: true });
  }
  rmdirSync(dir);
}
