// seprof's bundle and tfjs's compile from V8's code cache on later runs; a missing or corrupt
// cache only costs the compile, never the result.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli';

const nativeCache = 'enableCompileCache' in (require('node:module') as object);

function run(tmp: string, args: string[] = []): { code: number | null; stdout: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'seprof'), '--channels', '64', '--reduction', '4', '--json', ...args], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: tmp },
  });
  return { code: result.status, stdout: result.stdout };
}

describe.skipIf(nativeCache)('the compile cache of dist/start.js and tfjs on Node 20', () => {
  it('is written by the first measured run and read by the next, with the same result', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'seprof-cache-'));
    const first = run(tmp);
    expect(first.code).toBe(0);
    const [dir] = readdirSync(tmp).filter((name) => name.startsWith('seprof-compile-cache-'));
    const files = readdirSync(join(tmp, dir ?? ''));
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
    for (const f of files) writeFileSync(join(tmp, dir ?? '', f), 'not a code cache');
    const third = run(tmp);
    expect(third.code).toBe(0);
    expect(JSON.parse(third.stdout)).toMatchObject({ check: { status: 'match' } });
  });

  it("drops other builds' caches once a week old, and keeps recent ones", () => {
    const tmp = mkdtempSync(join(tmpdir(), 'seprof-cache-'));
    const dir = join(tmp, `seprof-compile-cache-${process.getuid?.() ?? 'user'}`);
    mkdirSync(dir, { recursive: true });
    const old = join(dir, 'start.js-1-2-3-4-v20.0.0.bin');
    const recent = join(dir, 'start.js-5-6-7-8-v20.0.0.bin');
    const other = join(dir, 'unrelated-1-2-3-4-v20.0.0.bin');
    for (const path of [old, recent, other]) writeFileSync(path, 'another build');
    const eightDaysAgo = (Date.now() - 8 * 24 * 3600 * 1000) / 1000;
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    utimesSync(other, eightDaysAgo, eightDaysAgo);
    expect(run(tmp, ['--no-measure']).code).toBe(0);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });
});
