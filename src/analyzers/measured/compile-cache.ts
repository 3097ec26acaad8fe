// tfjs is 3 MB of JavaScript bundles that V8 parses and compiles on every start: a large share
// of a measured run of a small block; dist/start.js, the CLI in one file, is most of what any
// start compiles. Node 22 keeps compiled code itself (enableCompileCache); on Node 20 seprof
// keeps V8's code cache of these files in the temporary directory, keyed
// by file, size, mtime, ctime, inode and Node version. Any doubt (no cache, a rejected or unwritable one)
// falls back to Node's own compile: the cache can only save time, never change what runs.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';
import { makeDirectories } from '../../fs/directories';

const TFJS_BUNDLE = /[\\/]@tensorflow[\\/]tfjs-[\w-]+[\\/]dist[\\/][\w.-]+\.node\.js$/;
// bin/seprof loads this module first, then dist/start.js (scripts/bundle-start.mjs).
const START_BUNDLE = join(__dirname, '..', '..', 'start.js');

type Compile = (this: Module, content: string, filename: string) => unknown;

function cacheFile(filename: string): string {
  // npm's tarballs give every file the same mtime, and V8 checks only the source's length: the
  // ctime and inode, new whenever a file is written, tell two versions of the same size apart.
  const { size, mtimeMs, ctimeMs, ino } = statSync(filename);
  const dir = join(tmpdir(), `seprof-compile-cache-${process.getuid?.() ?? 'user'}`);
  return join(dir, `${basename(filename)}-${size}-${Math.round(mtimeMs)}-${Math.round(ctimeMs * 1000)}-${ino}-${process.version}.bin`);
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Every rebuild writes a new cache: those of other builds go once they are this old. */
const STALE_MS = 7 * 24 * 3600 * 1000;

/** Removes week-old caches of other builds of the same source (at worst another install compiles once more). */
function removeStaleSiblings(file: string): void {
  const dir = dirname(file);
  const source = basename(file).replace(/-\d+-\d+-\d+-\d+-v[\d.]+\.bin$/, '-');
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === file || !name.startsWith(source)) continue;
    if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
  }
}

function writeCache(file: string, data: Buffer): void {
  try {
    makeDirectories(dirname(file));
    const temporary = `${file}.${process.pid}.tmp`; // concurrent runs each rename a whole file
    writeFileSync(temporary, data);
    renameSync(temporary, file);
    removeStaleSiblings(file);
  } catch {
    // A read-only or full temporary directory: the next run compiles again.
  }
}

/** The module's wrapper function compiled with the cache, or undefined to compile as Node does. */
function compileCached(filename: string, content: string): { wrapper: (...args: unknown[]) => unknown; script: Script; file: string; hit: boolean } | undefined {
  try {
    const file = cacheFile(filename);
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
