// --units and --precision in every count table of every command that prints one: the SE blocks
// found in a model file, the SE overhead, --training columns, explain's counts and totals, and
// the sweep and report case tables. Each expected figure is derived by hand from an exact count
// (SEAttention's closed forms, docs/conventions.md; docs/training.md for the backward pass), and
// the default output keeps the exact figure.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, seprofInProcess } from './support/cli';

const K1 = ['--units', 'K', '--precision', '1'];
/** SE(512, r=8) on 7x7: hidden 64, params 2*512*64 = 65,536; thop 512*(49+1) + 65,536 = 91,136; flops 183,360. */
const SE512 = ['--channels', '512', '--reduction', '8', '--no-measure'];

describe('the SE overhead table', () => {
  // SE-ResNet bottleneck, 256 channels, planes 64, 56x56: SE(256, r=16) adds 2*256*16 = 8,192 params
  // and thop 256*(3136+1) + 8,192 = 811,264 MACs; the plain block has 256*64 + 64*64*9 + 64*256
  // conv weights and 2*(64+64+256) BN params, 70,400; with SE 78,592.
  const block = ['--block', 'se-resnet', '--channels', '256', '--planes', '64', '--no-measure'];

  it('shows the counts in units; the percent stays exact', async () => {
    const { stdout } = await seprofInProcess([...block, ...K1]);
    expect(stdout).toMatch(/│ params +│ +70\.4K │ +78\.6K │ +8\.2K │ +\+11\.64% │/);
    expect(stdout).toMatch(/│ thop +│ +[\d.]+K │ +[\d.]+K │ +811\.3K │ +\+0\.36% │/);
  });

  it('in markdown too', async () => {
    const { stdout } = await seprofInProcess([...block, ...K1, '--format', 'markdown']);
    expect(stdout).toContain('| params | 70.4K | 78.6K | 8.2K | +11.64% |');
  });

  it('is exact by default', async () => {
    const { stdout } = await seprofInProcess(block);
    expect(stdout).toMatch(/│ params +│ +70,400 │ +78,592 │ +8,192 │ +\+11\.64% │/);
    expect(stdout).toMatch(/│ thop +│ +[\d,]+ │ +[\d,]+ │ +811,264 │ +\+0\.36% │/);
  });
});

describe('the SE blocks found in a model file', () => {
  // se_resnet_block.onnx: one SE(128) of hidden 8 on 14x14, params 2*128*8 = 2,048 (10.42% of the
  // model's 19,648); thop 128*(196+1) + 2,048 = 27,264.
  const file = ['test/fixtures/onnx/se_resnet_block.onnx', '--no-measure'];

  it('shows the counts in units; the shares stay exact', async () => {
    const { stdout } = await seprofInProcess([...file, ...K1]);
    expect(stdout).toMatch(/│ se +│ 128 │ 8 +│ 16 │ sigmoid │ +2\.0K │ +27\.3K │/);
    expect(stdout).toMatch(/│ SE share \(1 block\) │ .* │ 2\.0K \(10\.42%\) │ 27\.3K \(0\.79%\) │/);
    // The model's own overhead table follows the same style.
    expect(stdout).toMatch(/│ params +│ +17\.6K │ +19\.6K │ +2\.0K │ +\+11\.64% │/);
  });

  it('in markdown too', async () => {
    const { stdout } = await seprofInProcess([...file, ...K1, '--format', 'markdown']);
    expect(stdout).toContain('| se | 128 | 8 | 16 | sigmoid | 2.0K | 27.3K |');
  });

  it('is exact by default', async () => {
    const { stdout } = await seprofInProcess(file);
    expect(stdout).toMatch(/│ SE share \(1 block\) │ .* │ 2,048 \(10\.42%\) │ 27,264 \(0\.79%\) │/);
  });
});

describe('--training columns', () => {
  // fc1's backward: grad input and grad weight, 512*64 MACs each, 131,072 FLOPs; with the forward 196,608.
  it('show the backward and forward + backward counts in units', async () => {
    const { stdout } = await seprofInProcess([...SE512, '--training', ...K1]);
    expect(stdout).toMatch(/│ fc1 +│ linear +│ 1x64 +│ +32\.8K │ +32\.8K │ +65\.5K │ +131\.1K │ +196\.6K │/);
    // The summary line stays exact (docs/training.md).
    expect(stdout).toMatch(/^FLOPs \(flops\): +183,360 forward \+ 413,824 backward = 597,184 \(597\.184K\)$/m);
  });
});

describe('explain', () => {
  const explain = ['explain', ...SE512, '--conventions', 'thop,flops'];

  it('shows the per-kind counts and the totals table in units; the differences stay exact', async () => {
    const { stdout, code } = await seprofInProcess([...explain, ...K1]);
    expect(code).toBe(0);
    // linear: fc1 and fc2, 2 * 32,768 MACs (thop) = 65,536, 131,072 FLOPs.
    expect(stdout).toMatch(/^ {2}thop {14}65\.5K {2}in \* numel\(out\); bias ignored$/m);
    expect(stdout).toMatch(/│ linear +│ +65\.5K │ +131\.1K │/);
    expect(stdout).toMatch(/│ Total +│ +91\.1K │ +183\.4K │/);
    expect(stdout).toContain('  flops: 183,360 FLOPs vs 91,136 MACs (+92,224)');
  });

  it('with --training, the backward rows too (413,824 and 597,184 FLOPs, docs/training.md)', async () => {
    const { stdout } = await seprofInProcess([...explain, '--training', ...K1]);
    expect(stdout).toMatch(/│ Backward +│ +- │ +413\.8K │/);
    expect(stdout).toMatch(/│ Forward \+ backward │ +- │ +597\.2K │/);
  });

  it('in markdown', async () => {
    const { stdout } = await seprofInProcess([...explain, ...K1, '--format', 'markdown']);
    expect(stdout).toContain('| `thop` | forward | 65.5K | in * numel(out); bias ignored |');
    expect(stdout).toContain('| linear | 65.5K | 131.1K |');
    expect(stdout).toContain('| **Total** | **91.1K** | **183.4K** |');
  });

  it('is exact by default', async () => {
    const { stdout } = await seprofInProcess(explain);
    expect(stdout).toMatch(/│ Total +│ +91,136 │ +183,360 │/);
  });

  it('--units with --json is refused, as for the profile', async () => {
    const run = await seprofInProcess([...explain, '--units', 'K', '--json']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: '{"error":{"message":"--units applies to table and markdown: json stays exact","exitCode":2}}\n' });
  });
});

describe('sweep', () => {
  // SE(256, r=8) on 7x7: hidden 32, params 2*256*32 = 16,384; thop 256*50 + 16,384 = 29,184.
  const sweep = ['sweep', '--channels', '256,512', '--reduction', '8', '--no-measure'];

  it('shows the case table in units', async () => {
    const { stdout } = await seprofInProcess([...sweep, ...K1]);
    expect(stdout).toMatch(/│ 256 +│ +16\.4K │ +29\.2K │/);
    expect(stdout).toMatch(/│ 512 +│ +65\.5K │ +91\.1K │ +183\.4K │ skipped │/);
  });

  it('in markdown: M with three decimals rounds half up (65,536 is 0.066M)', async () => {
    const { stdout } = await seprofInProcess([...sweep, '--units', 'M', '--format', 'markdown']);
    expect(stdout).toContain('| 512 | 0.066M | 0.091M | 0.183M | skipped |');
  });

  it('is exact by default', async () => {
    expect((await seprofInProcess(sweep)).stdout).toMatch(/│ 512 +│ +65,536 │ +91,136 │ +183,360 │ skipped │/);
  });

  it.each([
    [['--format', 'csv', '--units', 'K'], /--units applies to table and markdown: csv stays exact/],
    [['--format', 'json', '--precision', '1'], /--precision applies to table and markdown: json stays exact/],
  ])('%j is refused: CSV and JSON stay exact', async (argv, message) => {
    const run = await seprofInProcess([...sweep, ...argv]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(message);
  });
});

describe('report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seprof-units-'));
  const suite = join(dir, 'suite.json');
  writeFileSync(suite, JSON.stringify({ cases: [{ name: 'se-512-r8', options: { channels: 512, reduction: 8 } }] }));

  it('shows its table and markdown in units; report.json and junit.xml stay exact', async () => {
    const out = join(dir, 'units');
    const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure', ...K1]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ se-512-r8 │ +65\.5K │ +91\.1K │ +183\.4K │ skipped │/);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| `se-512-r8` | SEAttention(512, r=8) on 1x512x7x7 · hidden width 64 | 65.5K | 91.1K | 183.4K | skipped |');
    expect(md).toContain('| `fc1` | linear | 1x64 | 32.8K | 32.8K | 65.5K |');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('| 65.5K | 91.1K | 183.4K |');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).cases[0]).toMatchObject({ params: 65536, counts: { thop: 91136 } });
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('params 65,536');
  });

  it('is exact by default', async () => {
    const out = join(dir, 'exact');
    const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure']);
    expect(run.stdout).toMatch(/│ se-512-r8 │ +65,536 │ +91,136 │ +183,360 │ skipped │/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('| 65,536 | 91,136 | 183,360 | skipped |');
  });

  it('checks --precision before profiling anything', async () => {
    expectUsageError(
      await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'bad'), '--no-measure', '--precision', '13']),
      /--precision must be at most 12/,
    );
  });
});
