// Every JSON output, produced by the real commands, validates against its shipped schema; and
// the schemas are strict enough to catch the regressions they exist for.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONVENTION_KEYS } from '../src/analyzers/conventions';
import { SCHEMA_VERSION } from '../src/report/profile/json';
import { ROOT, seprofInProcess } from './support/cli';
import { expectValid, SCHEMA_DIR, SCHEMA_FILES, schemaErrors, schemaId, type SchemaName } from './support/schemas';

type Doc = Record<string, unknown>;

const work = mkdtempSync(join(tmpdir(), 'seprof-schemas-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function json(args: readonly string[], exitCode = 0): Promise<Doc> {
  const run = await seprofInProcess(args);
  expect(run.code, run.stderr).toBe(exitCode);
  return JSON.parse(run.stdout) as Doc;
}

const analytic = (args: readonly string[]): Promise<Doc> => json([...args, '--no-measure', '--json']);

// SE(1, r=1) on 100000001 x 100000001: thop = B*C*(S + 1) + 2*B*C*m with B = C = m = 1.
const HUGE_SIDE = 100_000_001n;
const HUGE_THOP = HUGE_SIDE * HUGE_SIDE + 1n + 2n;
const HUGE = ['--channels', '1', '--reduction', '1', '--height', String(HUGE_SIDE), '--width', String(HUGE_SIDE)];

describe('the profile JSON validates against profile.schema.json', () => {
  const cases: [string, string[]][] = [
    ['SE, the paper', ['--channels', '512', '--reduction', '8']],
    [
      'SE, the field (conv1x1, bias, divisible, hardsigmoid, silu)',
      [
        '--channels',
        '96',
        '--reduction',
        '4',
        '--se-fc',
        'conv1x1',
        '--bias',
        '--se-hidden',
        'divisible:8',
        '--se-gate',
        'hardsigmoid',
        '--se-activation',
        'silu',
      ],
    ],
    [
      'SE-ResNet bottleneck, SE pre, stride on 1x1',
      ['--block', 'se-resnet', '--channels', '64', '--planes', '32', '--stride', '2', '--stride-on', '1x1', '--se-position', 'pre'],
    ],
    ['ResNet basic block', ['--block', 'resnet', '--kind', 'basic', '--channels', '64', '--planes', '64']],
    ['SE-Inception, 3x3x2, avg pool', ['--block', 'se-inception', '--branch3', '3x3x2', '--pool', 'avg']],
    ['SE-ResNet-50 v1, stages 2,3, with --training', ['--model', 'se-resnet50', '--layout', 'v1', '--se-stages', '2,3', '--training', '--top', '3']],
    ['EfficientNet-B0', ['--model', 'efficientnet_b0']],
    ['MobileNetV3-Small with --training', ['--model', 'mobilenet_v3_small', '--training']],
    ['RegNetY-400MF', ['--model', 'regnet_y_400mf']],
    ['SE-ResNeXt-50 32x4d', ['--model', 'se_resnext50_32x4d']],
    ["Cadene's SE-ResNet-50", ['--model', 'se_resnet50', '--preset', 'cadene']],
    ['an ONNX file with SE found', ['--file', join(ROOT, 'test/fixtures/onnx/tiny_yolo_se.onnx')]],
  ];
  it.each(cases)('%s', async (_, args) => {
    const doc = await analytic(args);
    expectValid('profile', doc);
  });

  it('a measured run with --training, --latency, --depth and --top: backend, latency, per-layer times, training', async () => {
    const doc = await json([
      '--channels',
      '16',
      '--reduction',
      '4',
      '--training',
      '--latency',
      '--runs',
      '2',
      '--warmup',
      '0',
      '--depth',
      '1',
      '--top',
      '2',
      '--json',
    ]);
    expect(doc['backend']).not.toBeNull();
    expect(doc['training']).not.toBeNull();
    expectValid('profile', doc);
  });

  it('a measured run, untimed by default: a backend, latency null', async () => {
    const doc = await json(['--block', 'se-resnet', '--channels', '64', '--planes', '16', '--json']);
    expect({ backend: doc['backend'] === null, latency: doc['latency'] }).toEqual({ backend: false, latency: null });
    expectValid('profile', doc);
  });

  it('counts past 2^53 as decimal strings, with the value derived here', async () => {
    const doc = await analytic(HUGE);
    expect((doc['totals'] as { counts: Record<string, unknown> }).counts['thop']).toBe(HUGE_THOP.toString());
    expectValid('profile', doc);
  });
});

describe('every other command', () => {
  it('--at: points.schema.json', async () => {
    expectValid('points', await analytic(['--at', '256x80x80', '--at', '512x40x40', '--bias']));
  });

  it('sweep --json: report.schema.json, a case past 2^53 included', async () => {
    expectValid(
      'report',
      await json(['sweep', '--channels', '1,16', '--reduction', '1', '--height', `7,${HUGE_SIDE}`, '--width', String(HUGE_SIDE), '--no-measure', '--json']),
    );
  });

  it('report: report.json validates against report.schema.json', async () => {
    const suite = join(work, 'suite.json');
    writeFileSync(
      suite,
      JSON.stringify({
        cases: [
          { name: 'se', options: { channels: 64 } },
          { name: 'net', options: { model: 'mobilenet_v3_small' } },
        ],
      }),
    );
    const run = await seprofInProcess(['report', '--suite', suite, '--out', join(work, 'out'), '--no-measure']);
    expect(run.code, run.stderr).toBe(0);
    expectValid('report', JSON.parse(readFileSync(join(work, 'out', 'report.json'), 'utf8')));
  });

  it('baseline (and init): a report document without a date validates against report.schema.json', async () => {
    const out = join(work, 'baseline.json');
    const run = await seprofInProcess(['baseline', '--suite', join(ROOT, 'reports/suite.json'), '--out', out, '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as Doc;
    expect(doc['date']).toBeNull();
    expectValid('report', doc);
  });

  it('compare --json: compare.schema.json, with a regression, a change past 2^53, an added and a removed case, latencies', async () => {
    const base = await json(['sweep', '--channels', '1,16', '--reduction', '1', '--height', `7,${HUGE_SIDE}`, '--width', '7', '--no-measure', '--json']);
    const edited = structuredClone(base) as { cases: Doc[] };
    const [first, second] = edited.cases as [Doc & { counts: Record<string, unknown> }, Doc];
    first.counts['thop'] = (BigInt(first.counts['thop'] as number | string) + 2n ** 53n).toString();
    second['name'] = 'renamed';
    for (const doc of [base as { cases: Doc[] }, edited]) {
      doc.cases[0] = { ...doc.cases[0], latency: { medianMs: doc === edited ? 2.5 : 1, p10Ms: 1, p90Ms: 3, minMs: 1, maxMs: 3, runs: 3, warmup: 0 } };
    }
    writeFileSync(join(work, 'base.json'), JSON.stringify(base));
    writeFileSync(join(work, 'edited.json'), JSON.stringify(edited));
    const doc = await json(['compare', join(work, 'base.json'), join(work, 'edited.json'), '--latency-tolerance', '0.5', '--json'], 1);
    expect(doc['failed']).toBe(true);
    expectValid('compare', doc);
  });

  it('explain --json, every convention, with --training: explain.schema.json', async () => {
    const doc = await analytic(['explain', '--block', 'se-resnet', '--channels', '256', '--planes', '64', '--training']);
    expect((doc['conventions'] as { key: string }[]).map((c) => c.key)).toEqual([...CONVENTION_KEYS]);
    expectValid('explain', doc);
  });

  it('explain --json on a network and past 2^53', async () => {
    expectValid('explain', await analytic(['explain', '--model', 'efficientnet_b0', '--convention', 'fvcore']));
    expectValid('explain', await analytic(['explain', ...HUGE]));
  });

  it('paper --json: paper.schema.json', async () => {
    expectValid('paper', await json(['paper', '--json']));
  });

  it('a usage error with --json: error.schema.json', async () => {
    const run = await seprofInProcess(['--channels', '0', '--json']);
    expect(run.code).toBe(2);
    expectValid('error', JSON.parse(run.stderr));
  });
});

describe('the schemas catch regressions', () => {
  const profileDoc = (): Promise<Doc> => analytic(['--channels', '512', '--reduction', '8']);
  const layer = (doc: Doc): Doc & { counts: Record<string, unknown> } =>
    (doc['layers'] as (Doc & { counts: Record<string, unknown> })[])[0] as Doc & { counts: Record<string, unknown> };

  it('refuses a field nobody announced, at the top and in a layer', async () => {
    const doc = await profileDoc();
    expect(schemaErrors('profile', { ...doc, surprise: 1 })).not.toEqual([]);
    layer(doc)['surprise'] = 1;
    expect(schemaErrors('profile', doc)).not.toEqual([]);
  });

  it('refuses a formatted count, an unsafe JSON number, a short decimal string and a missing convention', async () => {
    for (const bad of ['91,136', 2 ** 53, '91136', 1.5]) {
      const doc = await profileDoc();
      layer(doc).counts['thop'] = bad;
      expect(schemaErrors('profile', doc), String(bad)).not.toEqual([]);
    }
    const doc = await profileDoc();
    delete layer(doc).counts['senet'];
    expect(schemaErrors('profile', doc)).not.toEqual([]);
  });

  it('allows new fields in a spec (new kinds of model) and in op attributes, where documented', async () => {
    const doc = await profileDoc();
    expectValid('profile', { ...doc, spec: { ...(doc['spec'] as Doc), someNewOption: 'x' } });
    layer(doc)['attrs'] = { anything: [1, 2] };
    expectValid('profile', doc);
  });
});

describe('the schema files', () => {
  it('one per JSON output, and common definitions', () => {
    expect(SCHEMA_FILES.sort()).toEqual(['common', 'compare', 'error', 'explain', 'paper', 'points', 'profile', 'report'].map((n) => `${n}.schema.json`));
  });

  it('each has a draft 2020-12 $schema and an $id carrying the schema version', () => {
    for (const file of SCHEMA_FILES) {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as { $schema: string; $id: string };
      const name = file.replace('.schema.json', '') as SchemaName;
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id).toBe(schemaId(name));
      expect(schema.$id.endsWith(`:${SCHEMA_VERSION}`)).toBe(true);
    }
  });

  it('ship in the package', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, unknown> };
    expect(pkg.files).toContain('schemas');
    expect(pkg.exports['./schemas/*']).toBe('./schemas/*');
  });
});
