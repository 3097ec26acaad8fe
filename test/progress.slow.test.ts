// Progress on long runs: a bar on a terminal, plain lines in logs, never on stdout, --quiet.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/analyzers/profile';
import { progressOn, seconds } from '../src/cli/progress';
import { buildSpec } from '../src/model/spec';
import { ROOT, seprof } from './support/cli';

/** A stand-in stderr and clock. */
function fake(isTTY: boolean, columns = 100): { writes: string[]; tick: (ms: number) => void; bar: ReturnType<typeof progressOn> } {
  const writes: string[] = [];
  let clock = 0;
  const bar = progressOn({ isTTY, columns, write: (s: string) => writes.push(s) }, () => clock);
  return { writes, tick: (ms) => (clock += ms), bar };
}

describe('on a terminal', () => {
  it('draws a bar at once with steps, elapsed and remaining time, at most ten times a second, and clears it', () => {
    const { writes, tick, bar } = fake(true);
    tick(1000);
    bar.update(1, 4, 'cases');
    expect(writes).toEqual(['\r\x1b[2K[######..................] 1/4 cases · 1.0 s elapsed, about 3.0 s left']);
    tick(50);
    bar.update(2, 4, 'cases'); // within the frame: not drawn
    expect(writes).toHaveLength(1);
    tick(950);
    bar.update(3, 4, 'cases');
    expect(writes[1]).toMatch(/^\r\x1b\[2K\[#{18}\.{6}\] 3\/4 cases · 2\.0 s elapsed, about 0\.7 s left$/);
    bar.end();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
  });

  it('fits the line to the terminal and times each phase on its own', () => {
    const { writes, tick, bar } = fake(true, 60);
    tick(4000);
    bar.update(10, 10, 'layers measured');
    tick(200);
    bar.update(1, 100, 'layer gradients and a long description of them');
    expect(writes.every((w) => w.length <= '\r\x1b[2K'.length + 59)).toBe(true);
    expect(writes[1]).toContain('1/100 layer gradients');
  });
});

describe('in a log', () => {
  it('writes nothing for a run over in a moment', () => {
    const { writes, tick, bar } = fake(false);
    for (let done = 1; done <= 5; done++) {
      tick(300);
      bar.update(done, 5, 'cases');
    }
    bar.end();
    expect(writes).toEqual([]);
  });

  it('writes a line after two seconds, then every five, and one at the end', () => {
    const { writes, tick, bar } = fake(false);
    for (let done = 1; done <= 20; done++) {
      tick(500);
      bar.update(done, 20, 'layers measured');
    }
    bar.end();
    expect(writes).toEqual([
      'seprof: 4/20 layers measured · 2.0 s elapsed, about 8.0 s left\n',
      'seprof: 14/20 layers measured · 7.0 s elapsed, about 3.0 s left\n',
      'seprof: 20/20 layers measured, done in 10.0 s\n',
    ]);
  });

  it('says long times in minutes', () => {
    expect(seconds(1234)).toBe('1.2 s');
    expect(seconds(125_000)).toBe('2 min 05 s');
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs seprof with stderr on a pseudo-terminal (`script`) and stdout in a file. */
function onTerminal(args: string): { screen: string; stdout: string; code: number | null } {
  const out = join(mkdtempSync(join(tmpdir(), 'seprof-tty-')), 'stdout.txt');
  const command = `node ${join(ROOT, 'bin', 'seprof')} ${args} > ${out}`;
  const run = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, COLUMNS: '100' } });
  return { screen: run.stdout, stdout: readFileSync(out, 'utf8'), code: run.status };
}

describe.skipIf(!hasScript)('a measured network in a pseudo-terminal', () => {
  const run = onTerminal('--model resnet50');

  it('draws the bar on stderr and clears it; stdout has the report only', () => {
    expect(run.code).toBe(0);
    expect(run.screen).toMatch(/\r\x1b\[2K\[[#.]{24}\] \d+\/174 layers measured · [\d.]+ s elapsed/);
    expect(run.screen).toContain('\r\x1b[2K');
    expect(run.stdout).toMatch(/Check:\s+analytic and measured agree on every layer \(174 layers/);
    expect(run.stdout).not.toMatch(/\r|\x1b|layers measured/);
  });

  it('is silenced by --quiet', () => {
    const quiet = onTerminal('--model resnet50 --quiet');
    expect(quiet.code).toBe(0);
    expect(quiet.screen).not.toContain('layers measured');
  });

  it('counts cases in a sweep', () => {
    const sweep = onTerminal('sweep --channels 8,16,32 --reduction 2 --no-measure');
    expect(sweep.screen).toMatch(/\[[#.]{24}\] \d\/3 cases/);
    expect(sweep.stdout).not.toMatch(/\r|\x1b|\d\/3 cases/);
  });
});

describe('in a pipe', () => {
  it('keeps stdout clean and stderr quiet for a short run', () => {
    const run = seprof(['--model', 'resnet50', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ check: { status: 'match' } });
    // Lines come only after two seconds, and each is a whole `seprof: ...` line.
    for (const line of run.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^seprof: \d+\/174 layers measured/);
  });
});

describe('counts layers as the Check line does', () => {
  // The tfjs model has layers that count nothing (SE's reshape before its FC layers): the bar
  // steps through them but counts in analytic layers. ResNet-50's 174 and 6 per SE block, 16 blocks.
  it('se-resnet50: the last step is 270 of 270 layers, as Check says', async () => {
    const steps: [number, number][] = [];
    const result = await profile(buildSpec({ model: 'se-resnet50' }), {
      measure: true,
      backend: 'auto',
      onProgress: (done, total, what) => void (what === 'layers measured' && steps.push([done, total])),
    });
    const layers = 174 + 16 * 6;
    expect(result.check).toMatchObject({ status: 'match', layers });
    expect(steps.at(-1)).toEqual([layers, layers]);
    expect(steps.every(([, total]) => total === layers)).toBe(true);
    expect(steps.every(([done], i) => i === 0 || done >= (steps[i - 1]?.[0] ?? 0))).toBe(true);
  });
});
