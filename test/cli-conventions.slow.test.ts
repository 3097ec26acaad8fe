// The CLI for issue 5: every convention, `seprof explain`, and --training, as users run them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, expectUsageError, seprof, seprofInProcess } from './support/cli';

const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>;

describe('seprof --channels 512 --reduction 16 --conventions all --no-measure (1x512x7x7)', () => {
  // C = 512, m = 32, S = 49, B = 1, closed forms of docs/conventions.md.
  const [C, m, S] = [512, 32, 49];
  const expected = {
    thop: C * (S + 1) + 2 * C * m, // 58,368
    fvcore: C * S + 2 * C * m, // 57,856
    ptflops: C * S + 2 * C * m + m + (C * S + m), // 83,008
    'ptflops-aten': 2 * C * m, // 32,768
  };

  it('shows the figures the issue asks for', async () => {
    expect(expected).toEqual({ thop: 58_368, fvcore: 57_856, ptflops: 83_008, 'ptflops-aten': 32_768 });
    const run = await seprofInProcess(['--channels', '512', '--reduction', '16', '--conventions', 'all', '--no-measure']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/MACs \(thop\):\s+58,368 /);
    expect(run.stdout).toMatch(/MACs \(ptflops\):\s+83,008 /);
    expect(run.stdout).toMatch(/MACs \(ptflops-aten\):\s+32,768 /);
    expect(run.stdout).toMatch(/FLOPs \(fvcore\):\s+57,856 /);
    expect(run.stdout).toMatch(/Params:\s+32,768 /);
  });

  it('carries them in JSON', async () => {
    const doc = json((await seprofInProcess(['--channels', '512', '--reduction', '16', '--conventions', 'all', '--no-measure', '--json'])).stdout);
    expect(doc['totals']).toMatchObject({ params: 2 * C * m, counts: expected });
  });
});

describe('seprof explain --channels 512 --reduction 8', async () => {
  const [C, m, S] = [512, 64, 49];
  const table = await seprofInProcess(['explain', '--channels', '512', '--reduction', '8']);
  const run = await seprofInProcess(['explain', '--channels', '512', '--reduction', '8', '--json']);
  const doc = json(run.stdout);

  it('exits 0 with analytic and measured in agreement', () => {
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    expect(table.stdout).toMatch(/Check: analytic and measured agree on every layer/);
    expect(run.code).toBe(0);
    expect(doc['check'].status).toBe('match');
  });

  it('gives each op kind the rule of every convention, from the tables', () => {
    const pool = doc['opKinds'].find((k: { kind: string }) => k.kind === 'global_avg_pool');
    expect(pool.layers.map((l: { name: string }) => l.name)).toEqual(['squeeze']);
    expect(pool.counts.thop).toEqual({ count: C * (S + 1), formula: '(H*W + 1) * numel(out)' });
    expect(pool.counts['ptflops-aten']).toEqual({ count: 0, skip: 'only matrix products and convolutions are counted' });
    expect(table.stdout).toContain('fvcore: numel(in) | thop: (H*W + 1) * numel(out)');
  });

  it('says by how much and where each convention differs from thop', () => {
    const byKey = Object.fromEntries(doc['differences'].map((d: { key: string }) => [d.key, d]));
    expect(byKey['fvcore']).toMatchObject({ reference: 'thop', delta: -C, byKind: [{ kind: 'global_avg_pool', delta: -C }] });
    // ptflops: the pool per image and per batch (2*C*S vs C*(S+1)), and ReLU twice (2*m vs 0).
    expect(byKey['ptflops'].delta).toBe(2 * C * S + 2 * m - C * (S + 1));
    expect(byKey['ptflops'].byKind.map((d: { kind: string; delta: number }) => [d.kind, d.delta])).toEqual([
      ['global_avg_pool', 2 * C * S - C * (S + 1)],
      ['relu', 2 * m],
    ]);
  });

  it('names the ops each convention leaves out and those no public counter counts', () => {
    expect(doc['leftOut'].thop.map((l: { kind: string }) => l.kind)).toEqual(['relu', 'sigmoid', 'scale']);
    expect(doc['leftOut'].flops).toEqual([]);
    expect(doc['countedByNoPublicCounter']).toEqual([
      { kind: 'sigmoid', counts: { flops: 4 * C } },
      { kind: 'scale', counts: { flops: C * S, senet: C * S } },
    ]);
    expect(table.stdout).toMatch(/Counted by no public counter: sigmoid \(flops 2,048\), scale \(flops 25,088, senet 25,088\)/);
  });
});

describe('--training', () => {
  const [C, m, S] = [512, 64, 49];
  // Backward FLOPs of SE, batch 1, no bias (docs/training.md): 6*C*S + 8*C*m + 2*m + 2*C.
  const backwardFlops = 6 * C * S + 8 * C * m + 2 * m + 2 * C;

  it('explain --training exits 0 with analytic and measured in agreement', async () => {
    const run = await seprofInProcess(['explain', '--channels', '512', '--reduction', '8', '--training', '--json']);
    expect(run.code).toBe(0);
    const doc = json(run.stdout);
    expect(doc['check'].status).toBe('match');
    expect(doc['training'].backward).toEqual({ macs: 4 * C * m, flops: backwardFlops });
    const linear = doc['opKinds'].find((k: { kind: string }) => k.kind === 'linear');
    expect(linear.backward.macs.count).toBe(4 * C * m);
    expect(Object.keys(doc['training'].forwardOnly)).toEqual(['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'senet']);
  });

  it('reports forward, backward and total per layer, checked against tfjs', async () => {
    const run = await seprofInProcess(['--channels', '512', '--reduction', '8', '--training', '--json']);
    expect(run.code).toBe(0);
    const doc = json(run.stdout);
    expect(doc['check'].status).toBe('match');
    const fc1 = doc['layers'].find((l: { name: string }) => l.name === 'fc1');
    expect(fc1).toMatchObject({ counts: { macs: C * m }, backward: { macs: 2 * C * m, flops: 4 * C * m }, total: { macs: 3 * C * m } });
    expect(doc['training'].gradientSums).toEqual({
      tensors: [{ tensor: 'input', readers: ['squeeze', 'scale'], shape: [1, C, 7, 7] }],
      backward: { macs: 0, flops: C * S },
    });
    expect(doc['training'].total.flops).toBe(doc['totals'].counts.flops + backwardFlops);
  });

  it('adds backward and total columns and a gradient sums row to the table and CSV', async () => {
    const table = await seprofInProcess(['--channels', '512', '--reduction', '8', '--training', '--no-measure']);
    expect(table.stdout).toContain('FLOPs bwd (flops)');
    expect(table.stdout).toMatch(/│ \(gradient sums\) │ add/);
    expect(table.stdout).toMatch(/MACs \(thop\):\s+91,136 \(91\.136K\); counts module forward hooks: no backward pass/);
    const csv = await seprofInProcess([
      '--channels',
      '16',
      '--reduction',
      '4',
      '--height',
      '2',
      '--width',
      '2',
      '--training',
      '--format',
      'csv',
      '--total-row',
      '--no-measure',
    ]);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'layer,op,output_shape,params,buffers,thop,fvcore,ptflops,ptflops-aten,macs,flops,senet,macs_backward,flops_backward,macs_total,flops_total',
    );
    // C = 16, m = 4, S = 4: backward flops 6*C*S + 8*C*m + 2*m + 2*C.
    expect(lines.at(-2)).toBe(`(gradient sums),add,,,,,,,,,,,0,${16 * 4},0,${16 * 4}`);
    expect(lines.at(-1)?.split(',').slice(-4)).toEqual(['256', String(6 * 64 + 8 * 64 + 8 + 32), String(128 + 256), String(452 + 6 * 64 + 8 * 64 + 8 + 32)]);
  });
});

describe('explain without measuring', () => {
  it('never loads tfjs, with or without --training', () => {
    const run = seprof(['explain', '--channels', '64', '--no-measure', '--training', '--json'], ['--require', join(ROOT, 'test/support/loaded-modules.cjs')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('tfjs-modules-loaded=0');
    expect(json(run.stdout)['check'].status).toBe('skipped');
  });

  it('writes markdown', async () => {
    // C = 16, r = 16: m = 1, and the two FCs count C*m each.
    const run = await seprofInProcess(['explain', '--channels', '16', '--no-measure', '--format', 'markdown', '--conventions', 'thop,fvcore']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#### global_avg_pool');
    expect(run.stdout).toContain('| `fvcore` | forward | 32 | numel(in) * out; bias ignored |');
    expect(run.stdout).toContain('| Op kind | MACs (thop) | FLOPs (fvcore) |');
  });
});

describe('explain: user mistakes are one line on stderr, exit 2, nothing on stdout', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing channels', ['explain'], /--channels is required/],
    ['csv', ['explain', '--channels', '8', '--reduction', '2', '--format', 'csv'], /--format must be one of table, json, markdown; got 'csv'/],
    ['unknown reference', ['explain', '--channels', '8', '--reduction', '2', '--convention', 'flop'], /--convention must be one of/],
    ['unknown convention', ['explain', '--channels', '8', '--reduction', '2', '--conventions', 'thop,nope'], /--conventions must be one of/],
    ['option before the command', ['--channels', '8', 'explain'], /--channels goes after 'explain'/],
    ['unknown option', ['explain', '--channels', '8', '--traning'], /unknown option '--traning'/],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    expectUsageError(await seprofInProcess([...args, '--no-measure']), message);
  });
});
