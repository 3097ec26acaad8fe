// seprof sweep: the list and range grammar, one row per combination, every format, and mistakes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { combinations, expandValues, MAX_CASES } from '../src/sweep/grammar';
import { ROOT, expectUsageError, seprof, seprofInProcess } from './support/cli';

/** SEAttention's closed forms (docs/conventions.md), for C channels, ratio r, S = H*W, batch B. */
function se(C: number, r: number, S = 49, B = 1): { params: number; thop: number } {
  const m = Math.floor(C / r);
  return { params: 2 * C * m, thop: B * C * (S + 1) + 2 * B * C * m };
}

describe('the list and range grammar', () => {
  it.each([
    ['2,4,8,16,32', ['2', '4', '8', '16', '32']],
    ['64..512x2', ['64', '128', '256', '512']],
    ['64..500x2', ['64', '128', '256']],
    ['3..27x3', ['3', '9', '27']],
    ['7..10', ['7', '8', '9', '10']],
    ['7..28+7', ['7', '14', '21', '28']],
    ['7..30+7', ['7', '14', '21', '28']],
    ['5..5', ['5']],
    ['3, 64..256x2 ,64', ['3', '64', '128', '256']],
    ['512', ['512']],
  ])('%s', (text, values) => {
    expect(expandValues('--channels', text)).toEqual(values);
  });

  it('passes plain items on for the spec builder to judge', () => {
    expect(expandValues('--channels', 'abc,0')).toEqual(['abc', '0']);
  });

  it.each([
    ['64..', /bad range '64\.\.'/],
    ['..64', /bad range '\.\.64'/],
    ['64...512', /bad range/],
    ['64..512x', /bad range '64\.\.512x'/],
    ['64..512x1', /the factor must be at least 2/],
    ['0..8x2', /a geometric range starts at 1 or more/],
    ['64..512+0', /the step must be at least 1/],
    ['512..64', /512 is larger than 64/],
    ['1.5..4', /bad range/],
    ['2,,4', /empty item in the list '2,,4'/],
    ['4,', /empty item/],
    ['1..100000', /has 100000 values; a sweep takes at most 10000/],
  ])('rejects %s', (text, message) => {
    expect(() => expandValues('--channels', text)).toThrow(message);
  });

  it('combines axes, the first varying slowest, and caps the total', () => {
    const combos = combinations([
      { option: '--channels', key: 'channels', values: ['8', '16'] },
      { option: '--reduction', key: 'reduction', values: ['2', '4', '8'] },
    ]);
    expect(combos).toEqual([
      { channels: '8', reduction: '2' },
      { channels: '8', reduction: '4' },
      { channels: '8', reduction: '8' },
      { channels: '16', reduction: '2' },
      { channels: '16', reduction: '4' },
      { channels: '16', reduction: '8' },
    ]);
    const big = Array.from({ length: 101 }, (_, i) => String(i + 1));
    expect(() =>
      combinations([
        { option: '--channels', key: 'channels', values: big },
        { option: '--height', key: 'height', values: big },
      ]),
    ).toThrow(`the sweep has ${101 * 101} cases; at most ${MAX_CASES}`);
  });
});

describe('seprof sweep', () => {
  const channels = [64, 128, 256, 512];
  const ratios = [4, 16];

  it('prints one row per combination, counts from the closed forms, without loading tfjs', () => {
    const run = seprof(
      ['sweep', '--channels', '64..512x2', '--reduction', '4,16', '--no-measure'],
      ['--require', join(ROOT, 'test/support/loaded-modules.cjs')],
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('tfjs-modules-loaded=0\n');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Sweep of 8 case(s) over channels (4) x reduction (2)');
    const rows = lines.filter((l) => /^│ \d/.test(l)).map((l) => l.split('│').map((c) => c.trim()));
    expect(rows.map((r) => [r[1], r[2], r[3], r[4]])).toEqual(
      channels.flatMap((C) => ratios.map((r) => [String(C), String(r), se(C, r).params.toLocaleString('en-US'), se(C, r).thop.toLocaleString('en-US')])),
    );
    expect(run.stdout).toContain('Check: not measured (--no-measure)');
  });

  it('writes CSV with every convention and exact integers', async () => {
    const run = await seprofInProcess([
      'sweep',
      '--channels',
      '16,32',
      '--reduction',
      '4',
      '--height',
      '2..4+2',
      '--width',
      '3',
      '--format',
      'csv',
      '--no-measure',
    ]);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toBe('case,channels,height,params,buffers,thop,fvcore,ptflops,ptflops-aten,macs,flops,senet,check,latency_ms,backend');
    expect(rows).toHaveLength(4);
    const first = rows[0]?.split(',') ?? [];
    expect(first.slice(0, 6)).toEqual(['channels=16 height=2', '16', '2', String(se(16, 4).params), '0', String(se(16, 4, 6).thop)]);
  });

  it('writes one case as CSV without a second case column', async () => {
    const run = await seprofInProcess(['sweep', '--channels', '64', '--format', 'csv', '--no-measure']);
    expect(run.stdout.split('\n')[0]).toBe('case,params,buffers,thop,fvcore,ptflops,ptflops-aten,macs,flops,senet,check,latency_ms,backend');
  });

  it('writes the report document as JSON, which compare reads', async () => {
    const run = await seprofInProcess(['sweep', '--channels', '32', '--reduction', '2,8', '--batch', '3', '--json', '--no-measure']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, any>;
    expect(doc).toMatchObject({ schema: 'seprof-report', schemaVersion: 1, suite: null });
    expect(doc['cases'].map((c: any) => [c.name, c.params, c.counts.thop, c.latency])).toEqual([
      ['reduction=2', se(32, 2).params, se(32, 2, 49, 3).thop, null],
      ['reduction=8', se(32, 8).params, se(32, 8, 49, 3).thop, null],
    ]);
  });

  it('writes a markdown table', async () => {
    const run = await seprofInProcess(['sweep', '--channels', '64', '--reduction', '4,8', '--format', 'markdown', '--no-measure']);
    expect(run.stdout).toContain('| reduction | Params | MACs (thop) | FLOPs (flops) | Check |\n');
    expect(run.stdout).toContain(`| 8 | ${se(64, 8).params.toLocaleString('en-US')} | ${se(64, 8).thop.toLocaleString('en-US')} |`);
  });

  it('measures every case once tfjs is loaded; --quiet leaves stderr empty', async () => {
    const run = await seprofInProcess([
      'sweep',
      '--channels',
      '8..32x2',
      '--reduction',
      '2,4',
      '--height',
      '3',
      '--width',
      '3',
      '--runs',
      '2',
      '--warmup',
      '0',
      '--json',
      '--quiet',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const doc = JSON.parse(run.stdout) as Record<string, any>;
    expect(doc['cases']).toHaveLength(6);
    for (const c of doc['cases']) {
      expect(c.check.status).toBe('match');
      expect(c.latency.runs).toBe(2);
      expect(c.backend.name).toMatch(/wasm|tensorflow|cpu/);
    }
  });

  it.each([
    ['bad range', ['--channels', '64..512x'], /^seprof: --channels: bad range '64\.\.512x'/],
    ['empty item', ['--channels', '64', '--reduction', '2,,4'], /^seprof: --reduction: empty item/],
    ['bad value in a list', ['--channels', '64,abc'], /^seprof: sweep case channels=abc: --channels must be a whole number, got 'abc'/],
    [
      'an impossible combination',
      ['--channels', '8,16', '--reduction', '16'],
      /^seprof: sweep case channels=8: --reduction 16 is larger than the 8 channels of the input/,
    ],
    ['missing channels', ['--reduction', '2,4'], /^seprof: sweep case reduction=2: --channels is required/],
    ['missing value', ['--channels'], /^seprof: --channels needs a value/],
    ['unknown option', ['--channels', '8', '--chanels', '8'], /unknown option '--chanels'/],
    ['too many cases', ['--channels', '1..200', '--height', '1..200'], /the sweep has 40000 cases; at most 10000/],
  ])('%s: one line, exit 2, nothing on stdout', async (_, args, message) => {
    expectUsageError(await seprofInProcess(['sweep', ...args, '--no-measure']), message);
  });
});
