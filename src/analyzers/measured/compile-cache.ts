// tfjs is 3 MB of JavaScript bundles that V8 parses and compiles on every start: a large share
// of a measured run of a small block; dist/start.js, the CLI in one file, is most of what any
// start compiles. Node 22 keeps compiled code itself (enableCompileCache); on Node 20 seprof
// keeps V8's code cache of these files in a private directory of the temporary one, keyed
// by file, size, mtime, ctime, inode and Node version. Any doubt (no cache, a rejected or unwritable one)
// falls back to Node's own compile: the cache can only save time, never change what runs.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';

const TFJS_BUNDLE = /[\\/]@tensorflow[\\/]tfjs-[\w-]+[\\/]dist[\\/][\w.-]+\.node\.js$/;
// bin/seprof loads this module first, then dist/start.js (scripts/bundle-start.mjs).
const START_BUNDLE = join(__dirname, '..', '..', 'start.js');

type Compile = (this: Module, content: string, filename: string) => unknown;

const uid = process.getuid?.();

/**
 * The cache directory, this user's alone, or undefined for no cache. A code cache is compiled
 * code that V8 runs without parsing the source again: one that another user could write or
 * plant would run as this user. So the directory is made 0700 and used only when it is a real
 * directory (not a link) owned by this user; one an older seprof made 0755 is made private.
 */
function privateDirectory(): string | undefined {
  const dir = join(tmpdir(), `seprof-compile-cache-${uid ?? 'user'}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) return undefined;
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    return dir;
  } catch {
    return undefined;
  }
}

let directory: string | undefined | null = null;
function cacheDirectory(): string | undefined {
  if (directory === null) directory = privateDirectory();
  return directory;
}

function cacheFile(dir: string, filename: string): string {
  // npm's tarballs give every file the same mtime, and V8 checks only the source's length: the
  // ctime and inode, new whenever a file is written, tell two versions of the same size apart.
  const { size, mtimeMs, ctimeMs, ino } = statSync(filename);
  return join(dir, `${basename(filename)}-${size}-${Math.round(mtimeMs)}-${Math.round(ctimeMs * 1000)}-${ino}-${process.version}.bin`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Every rebuild and Node version writes new caches: those a week old go. */
const STALE_MS = 7 * 24 * 3600 * 1000;
/** One build's caches (the bundle and four tfjs files) take about 1.3 MB: room for about six. */
export const CACHE_BUDGET_BYTES = 8 * 1024 * 1024;

/** Removes week-old caches, then the oldest until the directory fits its budget (at worst a run compiles once more). */
function prune(dir: string, keep: string): void {
  const now = Date.now();
  const files = readdirSync(dir)
    .map((name) => ({ path: join(dir, name), stat: lstatSync(join(dir, name)) }))
    .filter(({ stat }) => stat.isFile())
    .sort((a, b) => b.stat.mtimeMs - a.stat.mtimeMs);
  let bytes = 0;
  for (const { path, stat } of files) {
    bytes += stat.size;
    if (path !== keep && (now - stat.mtimeMs > STALE_MS || bytes > CACHE_BUDGET_BYTES)) rmSync(path, { force: true });
  }
}

function writeCache(file: string, data: Buffer): void {
  try {
    const temporary = `${file}.${process.pid}.tmp`; // concurrent runs each rename a whole file
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
    prune(dirname(file), file);
  } catch {
    // A read-only or full temporary directory: the next run compiles again.
  }
}

/** The module's wrapper function compiled with the cache, or undefined to compile as Node does. */
function compileCached(
  filename: string,
  content: string,
): { wrapper: (...args: unknown[]) => unknown; script: Script; file: string; hit: boolean } | undefined {
  const dir = cacheDirectory();
  if (dir === undefined) return undefined;
  try {
    const file = cacheFile(dir, filename);
    const cachedData = readCache(file);
    const script = new Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return { wrapper, script, file, hit: cachedData !== undefined && !script.cachedDataRejected };
  } catch {
    return undefined;
  }
}

function cacheBundles(): void {
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const compile = prototype._compile;
  prototype._compile = function (content, filename) {
    const compiled = filename === START_BUNDLE || TFJS_BUNDLE.test(filename) ? compileCached(filename, content) : undefined;
    if (compiled === undefined) return compile.call(this, content, filename);
    const result = compiled.wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
    // After the top level ran, the cache holds the functions it compiled too.
    if (!compiled.hit) writeCache(compiled.file, compiled.script.createCachedData());
    return result;
  };
}

const native = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
if (native !== undefined) native();
else if (constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER !== undefined) cacheBundles();
