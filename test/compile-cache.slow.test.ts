// seprof's bundle and tfjs's compile from V8's code cache on later runs; a missing or corrupt
// cache only costs the compile, never the result.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_BUDGET_BYTES } from '../src/analyzers/measured/compile-cache';
import { ROOT } from './support/cli';

const nativeCache = 'enableCompileCache' in (require('node:module') as object);
const work = mkdtempSync(join(tmpdir(), 'seprof-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** A temporary directory of its own for each run of the CLI below. */
let made = 0;
const freshTmp = (): string => {
  const tmp = join(work, String(made++));
  mkdirSync(tmp);
  return tmp;
};
const cacheDir = (tmp: string): string => join(tmp, `seprof-compile-cache-${process.getuid?.() ?? 'user'}`);

function run(tmp: string, args: string[] = []): { code: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'seprof'), '--channels', '64', '--reduction', '4', '--json', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp },
  });
  return { code: result.status, stdout: result.stdout };
}

describe.skipIf(nativeCache)('the compile cache of dist/start.js and tfjs on Node 20', () => {
  it('is written by the first measured run and read by the next, with the same result', () => {
    const tmp = freshTmp();
    const first = run(tmp);
    expect(first.code).toBe(0);
    const dir = cacheDir(tmp);
    const files = readdirSync(dir);
    expect(files.some((f) => f.startsWith('tf-core.node.js-'))).toBe(true);
    expect(files.some((f) => f.startsWith('tf-layers.node.js-'))).toBe(true);
    expect(files.some((f) => f.startsWith('start.js-'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const second = run(tmp);
    expect(second.code).toBe(0);
    const strip = (text: string): unknown => ({ ...(JSON.parse(text) as object), toolVersion: null });
    expect(strip(second.stdout)).toEqual(strip(first.stdout));
    // The bundle, compiled from the cache, still loads what it requires late (tfjs's cpu backend).
    const cpu = run(tmp, ['--backend', 'cpu']);
    expect(cpu.code).toBe(0);
    expect(JSON.parse(cpu.stdout)).toMatchObject({ backend: { name: 'cpu' }, check: { status: 'match' } });

    // A corrupt cache is rejected by V8 and rewritten.
    for (const f of files) writeFileSync(join(dir, f), 'not a code cache');
    const third = run(tmp);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ check: { status: 'match' } });
  });

  it('keeps the cache private to its user: the directory 0700, its files 0600, an older 0755 one made private', () => {
    const tmp = freshTmp();
    const dir = cacheDir(tmp);
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755); // as an older seprof left it, whatever the umask
    expect(run(tmp).code).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => statSync(join(dir, f)).mode & 0o777)).toEqual(files.map(() => 0o600));
  });

  it('uses no cache where its name is a link (planted by another user): nothing read or written through it', () => {
    const tmp = freshTmp();
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, cacheDir(tmp), 'dir');
    const result = run(tmp);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ check: { status: 'match' } });
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  // Only root can give a directory to another user: the check runs where the suite runs as root (CI containers).
  it.skipIf(process.getuid?.() !== 0)('uses no cache in a directory another user owns', () => {
    const tmp = freshTmp();
    const dir = cacheDir(tmp);
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    const result = run(tmp);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ check: { status: 'match' } });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('drops week-old caches and then the oldest, until the directory fits its budget', () => {
    const tmp = freshTmp();
    const dir = cacheDir(tmp);
    mkdirSync(dir, { mode: 0o700 });
    const write = (name: string, bytes: number, daysAgo: number): string => {
      const path = join(dir, name);
      writeFileSync(path, Buffer.alloc(bytes));
      const when = (Date.now() - daysAgo * 24 * 3600 * 1000) / 1000;
      utimesSync(path, when, when);
      return path;
    };
    const weekOld = write('start.js-1-2-3-4-v20.0.0.bin', 10, 8);
    const recent = write('start.js-5-6-7-8-v20.0.0.bin', 10, 0.01);
    // Three files of 60% of the budget each, a day apart: only the newest fits beside the new caches.
    const big = [3, 2, 1].map((days) => write(`tf-core.node.js-${days}-0-0-0-v20.0.0.bin`, Math.floor(CACHE_BUDGET_BYTES * 0.6), days));
    expect(run(tmp).code).toBe(0);
    expect(existsSync(weekOld)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(big.map((path) => existsSync(path))).toEqual([false, false, true]);
    const total = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    expect(total).toBeLessThanOrEqual(CACHE_BUDGET_BYTES);
  });
});
