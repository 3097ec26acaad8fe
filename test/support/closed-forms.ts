// Params and thop MACs of the hybrid blocks, derived by hand from the architecture.
import type { InceptionBlockSpec, ResNetBlockSpec, Spec } from '../../src/model/spec';

const ceilDiv = (a: number, b: number): bigint => BigInt(Math.ceil(a / b));

/** SE on C channels of an H x W map, batch B: [params, thop]. */
function seClosedForm(B: bigint, C: bigint, S: bigint, r: number, bias: boolean): [bigint, bigint] {
  const m = C / BigInt(r);
  return [2n * C * m + (bias ? m + C : 0n), B * C * (S + 1n) + 2n * B * C * m];
}

/** [params, thop MACs] of a ResNet block, by hand from the architecture. */
export function resnetClosedForm(spec: ResNetBlockSpec): [bigint, bigint] {
  const { channels, height, width } = spec.input;
  const B = BigInt(spec.batch);
  const Cin = BigInt(channels);
  const P = BigInt(spec.planes);
  const S = BigInt(height * width);
  const So = ceilDiv(height, spec.stride) * ceilDiv(width, spec.stride);
  const out = spec.kind === 'bottleneck' ? 4n * P : P;
  let params: bigint;
  let thop: bigint;
  if (spec.kind === 'bottleneck') {
    const S1 = spec.strideOn === '1x1' ? So : S; // where conv1's output lives
    params = Cin * P + 9n * P * P + 4n * P * P + 2n * (P + P + 4n * P);
    thop = B * P * S1 * Cin + 4n * B * P * S1 + B * P * So * 9n * P + 4n * B * P * So + B * 4n * P * So * P + 4n * B * 4n * P * So;
  } else {
    params = 9n * Cin * P + 9n * P * P + 4n * P;
    thop = B * P * So * 9n * Cin + 4n * B * P * So + B * P * So * 9n * P + 4n * B * P * So;
  }
  if (spec.stride !== 1 || Cin !== out) {
    params += Cin * out + 2n * out;
    thop += B * out * So * Cin + 4n * B * out * So;
  }
  if (spec.block === 'se-resnet') {
    const [C, area] = spec.sePosition === 'pre' ? [Cin, S] : [out, So];
    const [seParams, seThop] = seClosedForm(B, C, area, spec.reduction, spec.bias);
    params += seParams;
    thop += seThop;
  }
  return [params, thop];
}

/** [params, thop MACs] of an Inception block, by hand. */
export function inceptionClosedForm(spec: InceptionBlockSpec): [bigint, bigint] {
  const { channels, height, width } = spec.input;
  const B = BigInt(spec.batch);
  const S = BigInt(height * width);
  const Cin = BigInt(channels);
  const { c1, c3r, c3, c5r, c5, pp } = spec.widths;
  // [cin, cout, k] of every conv, each followed by BN (2 params, 4*numel thop per channel).
  const convs: [bigint, number, number][] = [
    [Cin, c1, 1],
    [Cin, c3r, 1],
    [BigInt(c3r), c3, 3],
    [Cin, c5r, 1],
    ...(spec.branch3 === '5x5'
      ? ([[BigInt(c5r), c5, 5]] as [bigint, number, number][])
      : ([
          [BigInt(c5r), c5, 3],
          [BigInt(c5), c5, 3],
        ] as [bigint, number, number][])),
    [Cin, pp, 1],
  ];
  let params = 0n;
  let thop = spec.pool === 'avg' ? B * Cin * S : 0n; // avg pool: numel(out); max pool: 0
  for (const [cin, cout, k] of convs) {
    const co = BigInt(cout);
    params += cin * co * BigInt(k * k) + 2n * co;
    thop += B * co * S * cin * BigInt(k * k) + 4n * B * co * S;
  }
  if (spec.block === 'se-inception') {
    const [seParams, seThop] = seClosedForm(B, BigInt(c1 + c3 + c5 + pp), S, spec.reduction, spec.bias);
    params += seParams;
    thop += seThop;
  }
  return [params, thop];
}

/** [params, thop MACs] of a ResNet or Inception block spec. */
export function closedForm(spec: Spec): [bigint, bigint] {
  return spec.block.endsWith('resnet') ? resnetClosedForm(spec as ResNetBlockSpec) : inceptionClosedForm(spec as InceptionBlockSpec);
}
