// Property tests: random valid specs of every block kind measure exactly as analysed;
// random mistakes give one clear line and exit 2, never a stack trace; mutations of the
// generated model files (test/fixtures/hostile) exit 0, 1 on a listed mismatch, 2 or 3, never 4.
// FUZZ_RUNS=2000 npm test runs more cases.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { UsageError } from '../src/errors';
import { buildSpec, type RawSpecOptions } from '../src/model/spec';
import { CONV_BLOCK, convModel, denseModel, HOSTILE_CASES, ODD_CASES, POOL, TWO_40, TWO_60, writeCase, type Extra } from './fixtures/hostile/cases';
import { seprofInProcess } from './support/cli';
import type { ModelSpec, NodeSpec } from './support/onnx';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const size = fc.integer({ min: 1, max: 9 });

type Raw = Record<string, string | boolean>;
const str = (n: number): string => String(n);

const seOptions = fc
  .record({ channels: fc.integer({ min: 1, max: 48 }), height: size, width: size, batch: fc.integer({ min: 1, max: 3 }), bias: fc.boolean() })
  .chain((o) =>
    fc
      .integer({ min: 1, max: o.channels })
      .map((r): Raw => ({ channels: str(o.channels), reduction: str(r), height: str(o.height), width: str(o.width), batch: str(o.batch), bias: o.bias })),
  );

const resnetOptions = fc
  .record({
    se: fc.boolean(),
    kind: fc.constantFrom('bottleneck', 'basic'),
    channels: fc.integer({ min: 1, max: 24 }),
    planes: fc.integer({ min: 1, max: 8 }),
    stride: fc.constantFrom(1, 2),
    strideOn: fc.constantFrom('1x1', '3x3'),
    sePosition: fc.constantFrom('standard', 'pre', 'post', 'identity'),
    height: size,
    width: size,
    batch: fc.integer({ min: 1, max: 2 }),
    bias: fc.boolean(),
    reductionPick: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((o): Raw => {
    const out = o.kind === 'bottleneck' ? 4 * o.planes : o.planes;
    const seChannels = o.sePosition === 'pre' ? o.channels : out;
    const base: Raw = {
      block: o.se ? 'se-resnet' : 'resnet',
      kind: o.kind,
      channels: str(o.channels),
      planes: str(o.planes),
      stride: str(o.stride),
      height: str(o.height),
      width: str(o.width),
      batch: str(o.batch),
    };
    if (o.kind === 'bottleneck') base['strideOn'] = o.strideOn;
    if (!o.se) return base;
    return { ...base, sePosition: o.sePosition, bias: o.bias, reduction: str(1 + Math.floor(o.reductionPick * (seChannels - 1))) };
  });

const inceptionOptions = fc
  .record({
    se: fc.boolean(),
    channels: fc.integer({ min: 1, max: 12 }),
    widths: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 6, maxLength: 6 }),
    branch3: fc.constantFrom('5x5', '3x3x2'),
    pool: fc.constantFrom('max', 'avg'),
    height: size,
    width: size,
    batch: fc.integer({ min: 1, max: 2 }),
    bias: fc.boolean(),
    reductionPick: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map((o): Raw => {
    const [c1 = 1, , c3 = 1, , c5 = 1, pp = 1] = o.widths;
    const base: Raw = {
      block: o.se ? 'se-inception' : 'inception',
      channels: str(o.channels),
      widths: o.widths.join(','),
      branch3: o.branch3,
      pool: o.pool,
      height: str(o.height),
      width: str(o.width),
      batch: str(o.batch),
    };
    const out = c1 + c3 + c5 + pp;
    return o.se ? { ...base, bias: o.bias, reduction: str(1 + Math.floor(o.reductionPick * (out - 1))) } : base;
  });

const validOptions = fc.oneof(seOptions, resnetOptions, inceptionOptions);

describe('fuzz: random valid specs of every block kind', () => {
  it('measure in tfjs exactly as analysed', async () => {
    await fc.assert(
      fc.asyncProperty(validOptions, async (raw) => {
        const spec = buildSpec(raw as RawSpecOptions);
        const measured = await measure(spec, { backend: 'wasm' });
        const check = compareLayers(analyticOps(spec).map(countLayer), measured.ops.map(countLayer));
        expect(measured.unrecognised).toEqual([]);
        expect(check.mismatches).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

/** One mistake applied to a valid option set. */
const badValue = fc.constantFrom('0', '-3', '2.5', 'abc', '', '1e99', '--batch', '0x10', ' ');
const mistake = fc.oneof(
  fc.record({ key: fc.constantFrom('channels', 'reduction', 'height', 'width', 'batch', 'planes'), value: badValue }),
  fc.record({ key: fc.constant('block'), value: fc.constantFrom('vgg', 'SE', 'se_resnet', '') }),
  fc.record({ key: fc.constant('widths'), value: fc.constantFrom('1,2,3', '1,2,3,4,5,6,7', '1,2,x,4,5,6', '1,,3,4,5,6') }),
  fc.record({ key: fc.constant('stride'), value: fc.constantFrom('3', '0', '1.5') }),
  fc.record({ key: fc.constant('sePosition'), value: fc.constantFrom('middle', 'PRE') }),
  fc.record({ key: fc.constant('model'), value: fc.constantFrom('resnet18', 'vgg16') }),
);

describe('fuzz: random mistakes', () => {
  it('are UsageErrors with one line that names an option', () => {
    fc.assert(
      fc.property(validOptions, mistake, (raw, { key, value }) => {
        let error: unknown;
        try {
          buildSpec({ ...raw, [key]: value } as RawSpecOptions);
        } catch (e) {
          error = e;
        }
        // Some corruptions hit an option the block does not take: still a UsageError.
        expect(error).toBeInstanceOf(UsageError);
        const message = (error as Error).message;
        expect(message).not.toContain('\n');
        expect(message).toMatch(/--[a-z]/);
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('exit 2 through the CLI with one line and no stack trace', async () => {
    const flag = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    await fc.assert(
      fc.asyncProperty(validOptions, mistake, async (raw, { key, value }) => {
        const options: Raw = { ...raw, [key]: value };
        const argv = Object.entries(options).flatMap(([k, v]) => (v === true ? [flag(k)] : v === false ? [] : [flag(k), v]));
        const run = await seprofInProcess([...argv, '--no-measure']);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(run.stderr).not.toMatch(/\n\s+at /);
      }),
      { numRuns: Math.max(10, Math.round(RUNS / 6)) },
    );
  });
});

/** The generated model files, valid and hostile, with the files beside them: what the mutations start from. */
const BASES: readonly { onnx: ModelSpec; extra?: Record<string, Extra> }[] = [
  { onnx: CONV_BLOCK },
  { onnx: POOL },
  ...ODD_CASES.filter((c) => !c.name.startsWith('concat')).map((c) => ({ onnx: c.model.onnx })),
  ...HOSTILE_CASES.flatMap((c) => ('onnx' in c.model && c.name !== 'external-unreadable' ? [{ onnx: c.model.onnx, ...(c.extra && { extra: c.extra }) }] : [])),
];

const HOSTILE_INTS: readonly (number | string)[] = [0, -1, 1, 2, 3, 7, TWO_40, TWO_60, `-${TWO_60}`, '9007199254740993'];
const OPS = [
  'Conv',
  'ConvTranspose',
  'MaxPool',
  'AveragePool',
  'Relu',
  'Add',
  'Mul',
  'Concat',
  'Reshape',
  'Gemm',
  'MatMul',
  'Softmax',
  'Split',
  'Unsqueeze',
  'Squeeze',
  'Resize',
  'Pad',
  'BatchNormalization',
  'GlobalAveragePool',
  'Flatten',
  'Transpose',
  'Slice',
  'Expand',
  'Where',
  'Cast',
  'Range',
];
const ATTRS = ['kernel_shape', 'pads', 'strides', 'dilations', 'axis', 'axes', 'group', 'perm', 'split', 'transB', 'to'];

type Mutation = (m: ModelSpec) => ModelSpec;
const onNode =
  (pick: number, change: (n: NodeSpec) => NodeSpec): Mutation =>
  (m) => ({ ...m, nodes: m.nodes.map((n, i) => (i === pick % m.nodes.length ? change(n) : n)) });
const tensorsOf = (m: ModelSpec): string[] => ['x', '', 'missing', ...(m.initializers ?? []).map((t) => t.name), ...m.nodes.flatMap((n) => n.outputs)];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(fc.nat(), fc.constantFrom(...ATTRS), fc.constantFrom(...HOSTILE_INTS))
    .map(([at, name, value]) => onNode(at, (n) => ({ ...n, attrs: [...(n.attrs ?? []).filter((a) => a.name !== name), { name, type: 2, i: value }] }))),
  fc
    .tuple(fc.nat(), fc.constantFrom(...ATTRS), fc.array(fc.constantFrom(...HOSTILE_INTS), { maxLength: 5 }))
    .map(([at, name, values]) => onNode(at, (n) => ({ ...n, attrs: [...(n.attrs ?? []).filter((a) => a.name !== name), { name, type: 7, ints: values }] }))),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('drop', 'repeat', 'replace')).map(
    ([at, slot, how]): Mutation =>
      (m) =>
        onNode(at, (n) => {
          const inputs = [...n.inputs];
          const i = inputs.length === 0 ? 0 : slot % inputs.length;
          if (how === 'drop') inputs.splice(i, 1);
          else if (how === 'repeat') inputs.push(inputs[i] ?? 'x');
          else inputs[i] = tensorsOf(m)[slot % tensorsOf(m).length] as string;
          return { ...n, inputs };
        })(m),
  ),
  fc.tuple(fc.nat(), fc.boolean()).map(([at, add]) => onNode(at, (n) => ({ ...n, outputs: add ? [...n.outputs, `extra${at}`] : n.outputs.slice(0, -1) }))),
  fc.nat().map((at) => onNode(at, (n) => ({ ...n, domain: 'com.microsoft' }))),
  fc.tuple(fc.nat(), fc.constantFrom(...OPS)).map(([at, op]) => onNode(at, (n) => ({ ...n, op }))),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(0, 1, 2, 4_000_000_000_000_000)).map(
    ([at, axis, size]): Mutation =>
      (m) => ({
        ...m,
        initializers: (m.initializers ?? []).map((t, i) =>
          i === at % Math.max(1, (m.initializers ?? []).length)
            ? { ...t, dims: t.dims.map((d, k) => (k === axis % t.dims.length ? size : d)), rawData: undefined }
            : t,
        ),
      }),
  ),
  fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity, -1, 0.5)).map(
    ([at, value]): Mutation =>
      (m) => ({
        ...m,
        initializers: (m.initializers ?? []).map((t, i) => {
          if (i !== at % Math.max(1, (m.initializers ?? []).length) || (t.dataType ?? 1) !== 1) return t;
          const n = t.dims.reduce<number>((a, d) => a * Number(d), 1);
          return n > 4096 ? t : { ...t, rawData: new Uint8Array(Float32Array.from({ length: n }, () => value).buffer) };
        }),
      }),
  ),
);

/** Every path to a leaf (or an empty container) of a JSON value. */
function leafPaths(value: unknown, path: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [[...path]];
  const entries = Object.entries(value);
  return entries.length === 0 ? [[...path]] : entries.flatMap(([k, v]) => leafPaths(v, [...path, Array.isArray(value) ? Number(k) : k]));
}

function replaced(value: unknown, path: readonly (string | number)[], by: unknown): unknown {
  if (path.length === 0) return by;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = replaced(copy[head], rest, by);
  return copy;
}

const HOSTILE_JSON: readonly unknown[] = [0, -1, 1.5, 1e300, 2 ** 60, '', 'x', null, [], {}, [0], [null, 2 ** 60], true];

/** What would make model.run exit 4 is a bug: every other code is one the CLI documents. */
async function expectDocumentedExit(model: string, args: readonly string[]): Promise<void> {
  // A memory budget: what the measured run cannot hold in it is skipped, not attempted.
  const run = await seprofInProcess([model, '--max-memory', '256M', ...args]);
  expect([0, 1, 2, 3], run.stderr).toContain(run.code);
  if (run.code === 0) expect(run.stdout).toMatch(/^Check: /m);
  if (run.code === 1) {
    expect(run.stderr).toMatch(/analytic and measured counts differ/);
    expect(run.stdout).toMatch(/differ/);
  }
  if (run.code === 2 || run.code === 3) {
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^seprof: [^\n]*\n$/);
  }
}

describe('fuzz: mutations of the generated model files', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'seprof-fuzz-models-'));
  let runs = 0;

  it('TF.js: any one value of a model.json replaced; exit 0, 1 on a listed mismatch, 2 or 3, never 4', async () => {
    const bases = [denseModel([4]), convModel()];
    const mutant = fc.nat(bases.length - 1).chain((b) => fc.tuple(fc.constant(bases[b]), fc.constantFrom(...leafPaths(bases[b]))));
    await fc.assert(
      fc.asyncProperty(mutant, fc.constantFrom(...HOSTILE_JSON), async ([base, path], by) => {
        const model = writeCase(
          { model: { json: replaced(base, path, by) }, extra: { 'weights.bin': { kind: 'file', bytes: new Uint8Array(4 * 258) } } },
          join(tmp, String((runs += 1))),
        );
        await expectDocumentedExit(model, []);
      }),
      { numRuns: Math.max(20, Math.round(RUNS / 3)) },
    );
  });

  it('ONNX: 1 to 3 mutations (attributes, inputs, outputs, domains, op types, dims, NaN weights); exit 0, 1 on a listed mismatch, 2 or 3, never 4', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...BASES), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), async (base, mutations, training) => {
        const onnx = mutations.reduce((m, mutate) => mutate(m), base.onnx);
        const model = writeCase({ model: { onnx }, ...(base.extra && { extra: base.extra }) }, join(tmp, String((runs += 1))));
        await expectDocumentedExit(model, training ? ['--training'] : []);
      }),
      { numRuns: Math.max(20, Math.round(RUNS / 2)) },
    );
  });
});
