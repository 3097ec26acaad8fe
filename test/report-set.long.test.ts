// The report set is atomic (issue 10, item 4): `report` killed at random points, and reports
// racing into one --out, always leave --out complete and from one run, and no temporaries behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli';

const dir = mkdtempSync(join(tmpdir(), 'seprof-set-'));
const FILES = ['.seprof-set.json', 'cost-by-op-kind.svg', 'junit.xml', 'params-macs-vs-reduction.svg', 'report.json', 'report.md', 'summary.md'];
const CASES = 20;

/** Two suites whose every output names its own cases, so a mix of the two shows. */
const suites = Object.fromEntries(
  ['alpha', 'beta'].map((label) => {
    const cases = Array.from({ length: CASES }, (_, i) => ({
      name: `${label}-${i}`,
      options: { channels: 64 + 8 * Math.floor(i / 4), reduction: 2 ** (i % 4) },
    }));
    const path = join(dir, `${label}.json`);
    writeFileSync(path, JSON.stringify({ cases }));
    return [label, path];
  }),
) as Record<'alpha' | 'beta', string>;

function report(suite: string, out: string): { done: Promise<number | null>; kill(signal: NodeJS.Signals): void } {
  const child = spawn(process.execPath, [join(ROOT, 'bin/seprof'), 'report', '--suite', suite, '--out', out, '--no-measure'], { stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { done, kill: (signal) => child.kill(signal) };
}

/** Which suite the set in `out` is from; fails when a file is missing or from another run. */
function runOf(out: string): string {
  expect(readdirSync(out).sort()).toEqual(FILES);
  const read = (name: string): string => readFileSync(join(out, name), 'utf8');
  const doc = JSON.parse(read('report.json')) as { date: string; suite: string; cases: { name: string }[] };
  const label = doc.suite === suites.alpha ? 'alpha' : 'beta';
  expect(doc.cases.map((c) => c.name)).toEqual(Array.from({ length: CASES }, (_, i) => `${label}-${i}`));
  expect(read('report.md')).toContain(`· ${doc.date}\n`);
  expect(read('summary.md')).toContain(`<summary><b>${label}-${CASES - 1}</b>`);
  expect(read('junit.xml')).toContain(`name="${label}" tests="${CASES}"`);
  expect(read('junit.xml')).toContain(`timestamp="${doc.date.slice(0, 19)}"`);
  expect(read('cost-by-op-kind.svg')).toContain(`>${label}-${CASES - 1}</text>`);
  expect(read('params-macs-vs-reduction.svg')).toContain('</svg>');
  return `${label} ${doc.date}`;
}

const sets = (out: string): string[] => readdirSync(dir).filter((name) => name.startsWith(`.${out}.`));

/** Kills the run a few milliseconds after it first touches the directory it writes into: while it writes. */
function killWhileWriting(run: ReturnType<typeof report>, out: string): void {
  const watchers = [watch(dir), watch(out)];
  const fire = (): void => {
    for (const w of watchers) w.close();
    setTimeout(() => run.kill('SIGKILL'), Math.random() * 6);
  };
  for (const w of watchers) w.once('change', fire);
  void run.done.then(() => watchers.forEach((w) => w.close()));
}

describe('seprof report into one --out', () => {
  it('killed at random points and while writing, leaves the previous set or the new one, whole', async () => {
    const out = join(dir, 'killed');
    const start = performance.now();
    expect(await report(suites.alpha, out).done).toBe(0);
    const typical = performance.now() - start;
    let seen = runOf(out);
    for (let i = 0; i < 12; i++) {
      const run = report(i % 2 === 0 ? suites.beta : suites.alpha, out);
      if (i % 3 === 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * typical * 1.2));
        run.kill(i % 2 === 0 ? 'SIGTERM' : 'SIGKILL');
      } else {
        killWhileWriting(run, out);
      }
      const code = await run.done;
      const now = runOf(out);
      if (code === 0) expect(now).not.toBe(seen);
      seen = now;
    }
    expect(await report(suites.alpha, out).done).toBe(0);
    runOf(out);
    expect(sets('killed')).toHaveLength(1);
  });

  it('racing reports end with one complete set, and leave no temporaries', async () => {
    const out = join(dir, 'raced');
    for (let round = 0; round < 4; round++) {
      const runs = [suites.alpha, suites.beta, suites.alpha, suites.beta].map((suite) => report(suite, out));
      expect(await Promise.all(runs.map((r) => r.done))).toEqual([0, 0, 0, 0]);
      runOf(out);
    }
    expect(await report(suites.beta, out).done).toBe(0);
    expect(runOf(out)).toMatch(/^beta /);
    expect(sets('raced')).toHaveLength(1);
    expect(existsSync(join(dir, 'raced'))).toBe(true);
  });
});
