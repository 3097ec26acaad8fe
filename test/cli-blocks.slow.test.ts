// The hybrid blocks and insertion points through the CLI.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, seprofInProcess } from './support/cli';

describe('seprof --block se-resnet --channels 256 --planes 64 --reduction 16 --height 56 --width 56', async () => {
  const run = await seprofInProcess(['--block', 'se-resnet', '--channels', '256', '--planes', '64', '--reduction', '16', '--height', '56', '--width', '56']);

  it('prints the layer table, a measured match and the overhead summary', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Check:\s+analytic and measured agree on every layer \(16 layers/);
    expect(run.stdout).toContain('SE overhead: against --block resnet');
    // SE on 256 channels, m = 16: 2*256*16 params; thop adds 256*(56*56 + 1) + 2*256*16.
    const params = /│ params\s+│\s+([\d,]+) │\s+([\d,]+) │\s+([\d,]+) │\s+(\S+) │/.exec(run.stdout);
    expect(params?.[3]).toBe('8,192');
    const thop = /│ thop\s+│\s+([\d,]+) │\s+([\d,]+) │\s+([\d,]+) │/.exec(run.stdout);
    expect(thop?.[3]).toBe((256 * (56 * 56 + 1) + 2 * 256 * 16).toLocaleString('en-US'));
  });
});

describe('seprof --block se-inception --reduction 16', async () => {
  const run = await seprofInProcess(['--block', 'se-inception', '--reduction', '16', '--json']);
  const doc = JSON.parse(run.stdout) as Record<string, any>;

  it('profiles GoogLeNet inception (3a) with SE and its plain twin', () => {
    expect(run.code).toBe(0);
    expect(doc['spec']).toMatchObject({ block: 'se-inception', input: { channels: 192, height: 28, width: 28 } });
    expect(doc['check'].status).toBe('match');
    // SE on the 256-channel concatenation, m = 16.
    expect(doc['overhead'].added.params).toBe(2 * 256 * 16);
    expect(doc['overhead'].added.counts.thop).toBe(256 * (28 * 28 + 1) + 2 * 256 * 16);
    expect(doc['overhead'].plain.block).toBe('inception');
  });
});

describe('--at insertion points', () => {
  it('gives one row per point and a total', async () => {
    const run = await seprofInProcess(['--at', '256x20x20', '--at', '512x10x10', '--reduction', '16', '--format', 'csv', '--total-row']);
    expect(run.code).toBe(0);
    const [header, first, second, total] = run.stdout.trim().split('\n');
    expect(header).toBe('point,hidden,params,thop,fvcore,ptflops,ptflops-aten,macs,flops,senet,check');
    const thop = (C: number, S: number, m: number) => C * (S + 1) + 2 * C * m;
    expect(first?.split(',').slice(0, 4)).toEqual(['256x20x20', '16', String(2 * 256 * 16), String(thop(256, 400, 16))]);
    expect(second?.split(',').at(-1)).toBe('match');
    expect(total?.split(',')[3]).toBe(String(thop(256, 400, 16) + thop(512, 100, 32)));
  });

  it('reads points from a file, skipping blanks and comments', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seprof-')), 'points.txt');
    writeFileSync(file, '# neck\n128x40x40\n\n256x20x20  # P4\n');
    const run = await seprofInProcess(['--at-file', file, '--no-measure', '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { points: { spec: { input: { channels: number } } }[] };
    expect(doc.points.map((p) => p.spec.input.channels)).toEqual([128, 256]);
  });
});

describe('bad block combinations: one line, exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing planes', ['--block', 'se-resnet', '--channels', '64'], /--planes is required/],
    ['stride 3', ['--block', 'se-resnet', '--channels', '64', '--planes', '16', '--stride', '3'], /--stride must be one of 1, 2/],
    ['five widths', ['--block', 'se-inception', '--widths', '64,96,128,16,32'], /--widths takes six widths/],
    ['zero width', ['--block', 'inception', '--widths', '64,96,128,16,32,0'], /--widths must be at least 1/],
    [
      'SE option on a plain block',
      ['--block', 'resnet', '--channels', '64', '--planes', '16', '--reduction', '4'],
      /--reduction does not apply to --block resnet/,
    ],
    ['resnet option on SE', ['--channels', '64', '--planes', '16'], /--planes does not apply to --block se/],
    [
      'stride place on a basic block',
      ['--block', 'se-resnet', '--kind', 'basic', '--channels', '64', '--planes', '64', '--stride-on', '1x1'],
      /--stride-on applies to bottleneck blocks/,
    ],
    ['unknown block', ['--block', 'vgg'], /--block must be one of se, se-resnet, resnet, se-inception, inception/],
    [
      'SE wider than its input',
      ['--block', 'se-resnet', '--kind', 'basic', '--channels', '64', '--planes', '8'],
      /--reduction 16 is larger than the 8 channels SE sees/,
    ],
    ['bad point', ['--at', '512x7'], /^seprof: --at takes CxHxW, e\.g\. 512x7x7; got '512x7'$/m],
    // The point the options do not fit is named (8 channels, hidden width floor(8 / 16) = 0).
    [
      'a point narrower than the reduction',
      ['--at', '64x7x7', '--at', '8x7x7', '--reduction', '16'],
      /^seprof: --at 8x7x7: --reduction 16 is larger than the 8 channels/m,
    ],
    ['point and channels', ['--at', '512x7x7', '--channels', '512'], /drop --channels/],
    [
      'unreadable points file',
      ['--at-file', '/nonexistent/points.txt'],
      /cannot read --at-file \/nonexistent\/points.txt: no such file or directory \(ENOENT\)/,
    ],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    expectUsageError(await seprofInProcess([...args, '--no-measure']), message);
  });
});
