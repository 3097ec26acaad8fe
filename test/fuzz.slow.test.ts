// Property tests: random valid specs of every block kind measure exactly as analysed;
// random mistakes give one clear line and exit 2, never a stack trace.
// FUZZ_RUNS=2000 npm test runs more cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { compareLayers } from '../src/analyzers/check';
import { countLayer } from '../src/analyzers/count';
import { measure } from '../src/analyzers/measured';
import { UsageError } from '../src/errors';
import { buildSpec, type RawSpecOptions } from '../src/model/spec';
import { seprofInProcess } from './support/cli';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const size = fc.integer({ min: 1, max: 9 });

type Raw = Record<string, string | boolean>;
const str = (n: number): string => String(n);

const seOptions = fc
  .record({ channels: fc.integer({ min: 1, max: 48 }), height: size, width: size, batch: fc.integer({ min: 1, max: 3 }), bias: fc.boolean() })
  .chain((o) => fc.integer({ min: 1, max: o.channels }).map((r): Raw => ({ channels: str(o.channels), reduction: str(r), height: str(o.height), width: str(o.width), batch: str(o.batch), bias: o.bias })));

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
    const base: Raw = { block: o.se ? 'se-resnet' : 'resnet', kind: o.kind, channels: str(o.channels), planes: str(o.planes), stride: str(o.stride), height: str(o.height), width: str(o.width), batch: str(o.batch) };
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
    const base: Raw = { block: o.se ? 'se-inception' : 'inception', channels: str(o.channels), widths: o.widths.join(','), branch3: o.branch3, pool: o.pool, height: str(o.height), width: str(o.width), batch: str(o.batch) };
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
