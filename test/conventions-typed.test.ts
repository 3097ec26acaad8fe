// Each convention carries its forward and backward rules, and says why it skips an op kind:
// ignored on purpose, or unsupported by the tool (fvcore 0.1.6 lists those as skipped ops).
import { describe, expect, it } from 'vitest';
import { CONVENTIONS, CONVENTION_KEYS, conventionByKey, isForwardOnly, isSkip, type Convention, type SkipKind } from '../src/analyzers/conventions';
import { OP_KINDS, type OpKind } from '../src/analyzers/ops';

const skips = (convention: Convention | undefined): Partial<Record<OpKind, SkipKind>> => {
  if (convention === undefined) throw new Error('no such convention');
  return Object.fromEntries(
    OP_KINDS.flatMap((kind) => {
      const rule = convention.rules[kind];
      return isSkip(rule) ? [[kind, rule.skipped]] : [];
    }),
  );
};

describe('conventions', () => {
  it('come in report order, each under its own key, with a rule or a skip for every op kind both ways', () => {
    expect(CONVENTIONS.map((c) => c.key)).toEqual([...CONVENTION_KEYS]);
    expect(CONVENTION_KEYS).toEqual(['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet']);
    for (const c of CONVENTIONS) {
      expect(Object.keys(c.rules).sort()).toEqual([...OP_KINDS].sort());
      if (!isForwardOnly(c.backward)) expect(Object.keys(c.backward).sort()).toEqual([...OP_KINDS].sort());
    }
    expect(CONVENTIONS.filter((c) => !isForwardOnly(c.backward)).map((c) => c.key)).toEqual(['macs', 'flops']);
    expect(conventionByKey('flop')).toBeUndefined();
  });

  it('fvcore: relu, cat and clamp ignored; sigmoid, hardtanh, silu, hardswish, hardsigmoid, mul, add, sub, div, pow, tanh, softmax, pad, gelu, erf, exp, the pools, the reductions, the norm, softplus, mish and prelu unsupported', () => {
    expect(skips(conventionByKey('fvcore'))).toEqual({
      relu: 'ignored',
      concat: 'ignored',
      clip: 'ignored',
      sigmoid: 'unsupported',
      relu6: 'unsupported',
      silu: 'unsupported',
      hardswish: 'unsupported',
      hardsigmoid: 'unsupported',
      scale: 'unsupported',
      add: 'unsupported',
      avg_pool: 'unsupported',
      max_pool: 'unsupported',
      reduce_mean: 'unsupported',
      leaky_relu: 'unsupported',
      mul: 'unsupported',
      sub: 'unsupported',
      div: 'unsupported',
      pow: 'unsupported',
      tanh: 'unsupported',
      softmax: 'unsupported',
      pad: 'unsupported',
      gelu: 'unsupported',
      erf: 'unsupported',
      exp: 'unsupported',
      reduce_sum: 'unsupported',
      reduce_max: 'unsupported',
      reduce_min: 'unsupported',
      reduce_l2: 'unsupported',
      softplus: 'unsupported',
      mish: 'unsupported',
      prelu: 'unsupported',
    });
  });

  it('thop and ptflops: no rule for sigmoid, hardswish or hardsigmoid (thop: nor SiLU, GELU), functional ops out of reach of their hooks', () => {
    const outOfReach = {
      sigmoid: 'unsupported',
      hardswish: 'unsupported',
      hardsigmoid: 'unsupported',
      scale: 'unsupported',
      add: 'unsupported',
      concat: 'unsupported',
      reduce_mean: 'unsupported',
      mul: 'unsupported',
      sub: 'unsupported',
      div: 'unsupported',
      pow: 'unsupported',
      tanh: 'unsupported',
      pad: 'unsupported',
      erf: 'unsupported',
      exp: 'unsupported',
      einsum: 'unsupported',
      reduce_sum: 'unsupported',
      reduce_max: 'unsupported',
      reduce_min: 'unsupported',
      reduce_l2: 'unsupported',
      clip: 'unsupported',
      softplus: 'unsupported',
      mish: 'unsupported',
    };
    // thop has nn.Softmax's and nn.LayerNorm's rules; ptflops counts softmax through the patched
    // F.softmax, GELU through its module hook and F.gelu, LayerNorm through its module hook, and
    // a matmul of two activations through the patched torch.matmul (thop patches no function);
    // torch.einsum is patched by neither. ptflops hooks nn.GroupNorm; thop has no rule for it.
    expect(skips(conventionByKey('thop'))).toEqual({
      ...outOfReach,
      silu: 'unsupported',
      gelu: 'unsupported',
      matmul: 'unsupported',
      group_norm: 'unsupported',
    });
    expect(skips(conventionByKey('ptflops'))).toEqual(outOfReach);
  });

  it("seprof's own conventions and ptflops' aten backend leave ops out on purpose", () => {
    for (const key of ['ptflops-aten', 'macs', 'flops', 'senet'] as const) {
      expect(new Set(Object.values(skips(conventionByKey(key))))).toEqual(new Set(['ignored']));
    }
  });
});
