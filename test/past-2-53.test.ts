// Exact past 2^53: shapes and counts of SE and ResNet blocks whose dimensions, and products of
// dimensions, come near and go past 2^53, against references written here in bigint from
// docs/conventions.md and the architectures, never from seprof's code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { countLayer, totalsOf } from '../src/analyzers/count';
import type { Op } from '../src/analyzers/ops';
import { UsageError } from '../src/errors';
import { buildSpec } from '../src/model/spec';
import { wholeNumber } from '../src/parse';
import { expandValues } from '../src/sweep/grammar';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 200);
const MAX = 2n ** 53n - 1n;
const KEYS = ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet'] as const;

/** Whole numbers from 1 to `max`, crowding at the ends and around the square and cube roots of 2^53. */
function whole(max: bigint): fc.Arbitrary<bigint> {
  const near: [bigint, bigint][] = [
    [1n, 8n],
    [94_906_200n, 94_906_300n], // (2^53)^(1/2) = 94,906,265.6
    [208_000n, 208_200n], // (2^53)^(1/3) = 208,063.8
    [max - 8n, max],
    [1n, max],
  ];
  const arms = near
    .map(([lo, hi]): [bigint, bigint] => [lo < 1n ? 1n : lo, hi > max ? max : hi])
    .filter(([lo, hi]) => lo <= hi)
    .map(([min, max]) => fc.bigInt({ min, max }));
  return fc.oneof(...arms);
}

const str = (n: bigint): string => n.toString();
const shapes = (ops: readonly Op[]): Record<string, string> => Object.fromEntries(ops.map((op) => [op.name, op.outputShape.join('x')]));

interface SeCase {
  C: bigint;
  r: bigint;
  H: bigint;
  W: bigint;
  B: bigint;
  bias: boolean;
}

const seCase: fc.Arbitrary<SeCase> = fc
  .record({ C: whole(MAX), H: whole(MAX), W: whole(MAX), B: whole(MAX), bias: fc.boolean() })
  .chain((c) => whole(c.C).map((r) => ({ ...c, r })));

/** SEAttention(C, r) on B x C x H x W: every convention's total, params, and each op's output shape. */
function seReference({ C, r, H, W, B, bias }: SeCase) {
  const m = C / r;
  const S = H * W;
  const biasOr = (n: bigint): bigint => (bias ? n : 0n);
  const counts = {
    thop: B * C * (S + 1n) + 2n * B * C * m,
    fvcore: B * C * S + 2n * B * C * m,
    ptflops: C * S + 2n * C * m + m + B * (C * S + m) + biasOr(m + C),
    'ptflops-aten': 2n * B * C * m + biasOr(B * (m + C)),
    macs: 2n * B * C * m,
    // squeeze B*C*S, fc1 and fc2 2*B*C*m each (+ bias adds), relu B*m, sigmoid 4*B*C, scale B*C*S.
    flops: 2n * B * C * S + 4n * B * C * m + B * m + 4n * B * C + biasOr(B * m + B * C),
    senet: 2n * B * C * S + 2n * B * C * m,
  };
  const shape = {
    squeeze: `${B}x${C}x1x1`,
    fc1: `${B}x${m}`,
    relu: `${B}x${m}`,
    fc2: `${B}x${C}`,
    sigmoid: `${B}x${C}`,
    scale: `${B}x${C}x${H}x${W}`,
  };
  return { params: 2n * C * m + biasOr(m + C), counts, shape };
}

describe('SE near and past 2^53', () => {
  it('gives every shape and every convention exactly', () => {
    fc.assert(
      fc.property(seCase, (c) => {
        const spec = buildSpec({ block: 'se', channels: str(c.C), reduction: str(c.r), height: str(c.H), width: str(c.W), batch: str(c.B), bias: c.bias });
        const ops = analyticOps(spec);
        const totals = totalsOf(ops.map(countLayer));
        const want = seReference(c);
        expect(shapes(ops)).toEqual(want.shape);
        expect(totals.params).toBe(want.params);
        expect(totals.counts).toEqual(want.counts);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Output size of a k x k window with padding (k - 1) / 2 and stride s: floor((n - 1) / s) + 1. */
const sameOut = (n: bigint, s: bigint): bigint => (n - 1n) / s + 1n;

interface ResNetCase {
  Cin: bigint;
  P: bigint;
  H: bigint;
  W: bigint;
  B: bigint;
  stride: bigint;
  strideOn: '1x1' | '3x3';
  basic: boolean;
  /** SE reduction at the standard position, or null for a plain block. */
  r: bigint | null;
}

const resnetCase: fc.Arbitrary<ResNetCase> = fc
  .record({
    Cin: whole(MAX),
    basic: fc.boolean(),
    H: whole(MAX),
    W: whole(MAX),
    B: whole(2n ** 20n),
    stride: fc.constantFrom(1n, 2n),
    strideOn: fc.constantFrom('1x1' as const, '3x3' as const),
    se: fc.boolean(),
    pick: fc.bigInt({ min: 0n, max: 2n ** 64n }),
  })
  .chain(({ se, pick, ...c }) =>
    whole(c.basic ? MAX : MAX / 4n).map((P) => {
      const out = c.basic ? P : 4n * P;
      return { ...c, P, r: se ? (pick % out) + 1n : null };
    }),
  );

/**
 * A ResNet block by hand: every op's output shape, and every op's count under every convention
 * from the per-kind rules of docs/conventions.md, on those hand-made shapes.
 */
function resnetReference(c: ResNetCase) {
  const { Cin, P, H, W, B, stride } = c;
  const out = c.basic ? P : 4n * P;
  const [Ho, Wo] = [sameOut(H, stride), sameOut(W, stride)];
  const shape: Record<string, string> = {};
  const totals = Object.fromEntries(KEYS.map((k) => [k, 0n])) as Record<(typeof KEYS)[number], bigint>;
  let params = 0n;
  const add = (name: string, dims: bigint[], counts: bigint[], p = 0n): void => {
    shape[name] = dims.join('x');
    KEYS.forEach((key, i) => (totals[key] += counts[i] ?? 0n));
    params += p;
  };
  const numel = (dims: bigint[]): bigint => dims.reduce((a, b) => a * b, 1n);
  // [thop, fvcore, ptflops (per image), ptflops-aten, macs, flops, senet]
  const conv = (name: string, cin: bigint, cout: bigint, k: bigint, h: bigint, w: bigint): void => {
    const y = [B, cout, h, w];
    const macs = numel(y) * cin * k * k;
    add(name, y, [macs, macs, macs / B, macs, macs, 2n * macs, macs], cout * cin * k * k);
  };
  const bn = (name: string, y: bigint[]): void =>
    add(name, y, [4n * numel(y), 2n * numel(y), (2n * numel(y)) / B, 0n, 0n, 2n * numel(y), 0n], 2n * (y[1] ?? 0n));
  const relu = (name: string, y: bigint[]): void => add(name, y, [0n, 0n, numel(y) / B + numel(y), 0n, 0n, numel(y), 0n]);
  const p = 'branch.';
  if (c.basic) {
    conv(`${p}conv1`, Cin, P, 3n, Ho, Wo);
    bn(`${p}bn1`, [B, P, Ho, Wo]);
    relu(`${p}relu1`, [B, P, Ho, Wo]);
    conv(`${p}conv2`, P, P, 3n, Ho, Wo);
    bn(`${p}bn2`, [B, P, Ho, Wo]);
  } else {
    const [H1, W1] = c.strideOn === '1x1' ? [Ho, Wo] : [H, W];
    conv(`${p}conv1`, Cin, P, 1n, H1, W1);
    bn(`${p}bn1`, [B, P, H1, W1]);
    relu(`${p}relu1`, [B, P, H1, W1]);
    conv(`${p}conv2`, P, P, 3n, Ho, Wo);
    bn(`${p}bn2`, [B, P, Ho, Wo]);
    relu(`${p}relu2`, [B, P, Ho, Wo]);
    conv(`${p}conv3`, P, out, 1n, Ho, Wo);
    bn(`${p}bn3`, [B, out, Ho, Wo]);
  }
  const y = [B, out, Ho, Wo];
  const N = numel(y);
  const S = Ho * Wo;
  if (c.r !== null) {
    const m = out / c.r;
    add('se.squeeze', [B, out, 1n, 1n], [B * out * (S + 1n), N, N / B + N, 0n, 0n, N, N]);
    add('se.fc1', [B, m], [B * out * m, B * out * m, out * m, B * out * m, B * out * m, 2n * B * out * m, B * out * m], out * m);
    add('se.relu', [B, m], [0n, 0n, m + B * m, 0n, 0n, B * m, 0n]);
    add('se.fc2', [B, out], [B * out * m, B * out * m, out * m, B * out * m, B * out * m, 2n * B * out * m, B * out * m], out * m);
    add('se.sigmoid', [B, out], [0n, 0n, 0n, 0n, 0n, 4n * B * out, 0n]);
    add('se.scale', y, [0n, 0n, 0n, 0n, 0n, N, N]);
  }
  if (stride !== 1n || Cin !== out) {
    conv('shortcut.conv', Cin, out, 1n, Ho, Wo);
    bn('shortcut.bn', y);
  }
  add('add', y, [0n, 0n, 0n, 0n, 0n, N, 0n]);
  relu('relu', y);
  return { shape, totals, params };
}

describe('ResNet blocks near and past 2^53', () => {
  it('give every shape and every convention exactly', () => {
    fc.assert(
      fc.property(resnetCase, (c) => {
        const spec = buildSpec({
          block: c.r === null ? 'resnet' : 'se-resnet',
          kind: c.basic ? 'basic' : 'bottleneck',
          channels: str(c.Cin),
          planes: str(c.P),
          height: str(c.H),
          width: str(c.W),
          batch: str(c.B),
          stride: str(c.stride),
          ...(c.basic ? {} : { strideOn: c.strideOn }),
          ...(c.r === null ? {} : { reduction: str(c.r) }),
        });
        const ops = analyticOps(spec);
        const got = totalsOf(ops.map(countLayer));
        const want = resnetReference(c);
        expect(shapes(ops)).toEqual(want.shape);
        expect(got.params).toBe(want.params);
        expect(got.counts).toEqual(want.totals);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('inputs whose shapes would pass 2^53 - 1 are refused', () => {
  const refused = (raw: Parameters<typeof buildSpec>[0], message: RegExp): void => {
    expect(() => buildSpec(raw)).toThrow(UsageError);
    expect(() => buildSpec(raw)).toThrow(message);
  };

  it('a bottleneck whose 4 * planes output passes it', () => {
    const planes = str(MAX / 4n + 1n);
    refused({ block: 'resnet', channels: '8', planes }, new RegExp(`--planes ${planes} .*too many: at most 9007199254740991`));
    expect(() => buildSpec({ block: 'resnet', channels: '8', planes: str(MAX / 4n) })).not.toThrow();
    expect(() => buildSpec({ block: 'resnet', kind: 'basic', channels: '8', planes: str(MAX) })).not.toThrow();
  });

  it('an Inception block whose concatenation passes it', () => {
    const half = str(MAX / 2n + 1n);
    refused({ block: 'inception', widths: `1,1,${half},1,${half},1` }, /--widths .* gives 9007199254740994 channels, too many/);
  });

  it('any option value past it, however many digits, as too large', () => {
    expect(wholeNumber('height', str(MAX))).toBe(Number.MAX_SAFE_INTEGER);
    for (const value of [str(MAX + 1n), '9'.repeat(400), `${'9'.repeat(400)}.0`, '000000000000000000009007199254740992']) {
      expect(() => wholeNumber('height', value)).toThrow(/^--height is too large: .*; at most 9007199254740991 \(2\^53 - 1\)$/);
    }
    expect(() => wholeNumber('height', `-${'9'.repeat(400)}`)).toThrow(/^--height must be at least 1/);
    expect(() => wholeNumber('height', `${'9'.repeat(400)}.5`)).toThrow(/^--height must be a whole number, got a 402-character value$/);
  });

  it('sweep ranges at or past it, exactly', () => {
    expect(() => expandValues('--channels', '9007199254740992..9007199254740992')).toThrow(/9007199254740992 is too large; at most 9007199254740991/);
    expect(() => expandValues('--channels', `1..${'9'.repeat(400)}`)).toThrow(/a 400-digit number is too large/);
    expect(expandValues('--channels', '9007199254740989..9007199254740991')).toEqual(['9007199254740989', '9007199254740990', '9007199254740991']);
    expect(expandValues('--channels', '4503599627370496..9007199254740991x2')).toEqual(['4503599627370496']);
    expect(expandValues('--channels', '1..9007199254740991x4096')).toHaveLength(5); // 4096^4 = 2^48, 4096^5 = 2^60
    expect(() => expandValues('--channels', '1..9007199254740991+1')).toThrow(/has 9007199254740991 values; a sweep takes at most 10000/);
  });
});
