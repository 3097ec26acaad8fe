// seprof's totals against what thop, fvcore and ptflops reported on the PyTorch definitions
// (test/fixtures/peers, made by running the real peers: README.md there).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { countLayer, totalsOf, type Totals } from '../src/analyzers/count';
import { specOf } from './support/grid';

interface PeerRun {
  input: [number, number, number, number];
  params: number;
  thop: number;
  fvcore: number;
  ptflops: number;
  ptflops_aten: number;
  error?: string;
}

interface PeerFile {
  models: Record<string, PeerRun[]>;
  blocks: Record<string, { module: string; totals: PeerRun[] }>;
}

const DIR = join(__dirname, 'fixtures', 'peers');
const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(join(DIR, name), 'utf8')) as PeerFile);

/** seprof's own se_resnet50 is the paper's; the fixtures' is Cadene's. */
const presetOf = (model: string): Record<string, string> => (/^se_resnet\d+$/.test(model) ? { preset: 'cadene' } : {});

const peerCounts = (run: PeerRun) => ({
  params: BigInt(run.params),
  thop: BigInt(run.thop),
  fvcore: BigInt(run.fvcore),
  ptflops: BigInt(run.ptflops),
  'ptflops-aten': BigInt(run.ptflops_aten),
});
const ours = (t: Totals) => ({
  params: t.params,
  thop: t.counts['thop'],
  fvcore: t.counts['fvcore'],
  ptflops: t.counts['ptflops'],
  'ptflops-aten': t.counts['ptflops-aten'],
});

const runs = files.flatMap((file) =>
  Object.entries(file.models).flatMap(([model, list]) => list.filter((run) => run.error === undefined).map((run) => ({ model, run }))),
);
const blocks = files.flatMap((file) =>
  Object.entries(file.blocks).flatMap(([model, block]) => block.totals.map((run) => ({ model, module: block.module, run }))),
);

describe('networks: params, thop, fvcore, ptflops and ptflops-aten equal the peers', () => {
  it('has fixtures', () => {
    expect(runs.length).toBeGreaterThanOrEqual(10);
  });

  it.each(runs.map(({ model, run }) => [model, run.input.join('x'), run] as const))('%s at %s', (model, _, run) => {
    const [batch, , height, width] = run.input;
    const totals = totalsOf(analyticOps(specOf({ model, ...presetOf(model), batch, height, width })).map(countLayer));
    expect(ours(totals)).toEqual(peerCounts(run));
  });
});

describe('one block of each family alone: the same five numbers', () => {
  it.each(blocks.map(({ model, module, run }) => [model, module, run.input[0], run] as const))('%s %s at batch %d', (model, module, batch, run) => {
    const ops = analyticOps(specOf({ model, ...presetOf(model), batch })).filter((op) => op.name.startsWith(`${module}.`));
    expect(ops[0]?.inputShapes[0]).toEqual(run.input);
    expect(ours(totalsOf(ops.map(countLayer)))).toEqual(peerCounts(run));
  });
});
