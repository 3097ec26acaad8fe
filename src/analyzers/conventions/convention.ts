import { dim, input, numel, OP_KINDS, type Op, type OpKind } from '../ops';

/** How one counter counts one op kind. */
export interface Rule {
  /** The rule in words, as conventions.md states it. */
  formula: string;
  count(op: Op): bigint;
}

/** An op kind the counter does not count, and why. */
export interface Skip {
  skip: string;
}

export interface Convention {
  key: string;
  /** The counter and version the rules were read from. */
  source: string;
  unit: 'MACs' | 'FLOPs';
  /** Every op kind, counted or skipped: nothing is left out silently. */
  rules: Record<OpKind, Rule | Skip>;
}

export function isSkip(rule: Rule | Skip): rule is Skip {
  return 'skip' in rule;
}

/** What one rule counts for one op: 0 when the op kind is skipped. */
export function countByRule(rule: Rule | Skip, op: Op): bigint {
  return isSkip(rule) ? 0n : rule.count(op);
}

export function countOp(convention: Convention, op: Op): bigint {
  return countByRule(convention.rules[op.kind], op);
}

export const out = (op: Op): bigint => numel(op.outputShape);
export const inp = (op: Op): bigint => numel(input(op));
export const batchOf = (op: Op): bigint => BigInt(dim(input(op), 0));

/** Multiply-accumulates of a convolution, bias ignored: numel(out) * (Cin/g) * kh * kw. */
export function convMacs(op: Op): bigint {
  const [kh, kw] = op.attrs.kernel ?? [1, 1];
  const [cin, groups] = [BigInt(dim(input(op), 1)), BigInt(op.attrs.groups ?? 1)];
  if (cin % groups !== 0n) throw new Error(`conv ${op.name}: ${cin} input channels in ${groups} groups`);
  return out(op) * (cin / groups) * BigInt(kh) * BigInt(kw);
}

/** Multiply-accumulates of a linear layer, bias ignored: rows * in * out. */
export function linearMacs(op: Op): bigint {
  return inp(op) * BigInt(dim(op.outputShape, -1));
}

/** Elements of the output that get a bias added (0 without bias). */
export function biasAdds(op: Op): bigint {
  return op.attrs.bias ? out(op) : 0n;
}

/** Pool window size kh*kw (H*W for the global pool, which can pass 2^53). */
export function window(op: Op): bigint {
  const [kh, kw] = op.attrs.kernel ?? [1, 1];
  return BigInt(kh) * BigInt(kw);
}

export const rule = (formula: string, count: (op: Op) => bigint): Rule => ({ formula, count });

/** A full rule table from the kinds a counter counts; every other kind is skipped for one reason. */
export function onlyThese(counted: Partial<Record<OpKind, Rule>>, otherwise: Skip): Record<OpKind, Rule | Skip> {
  return Object.fromEntries(OP_KINDS.map((kind) => [kind, counted[kind] ?? otherwise])) as Record<OpKind, Rule | Skip>;
}
export const skip = (why: string): Skip => ({ skip: why });
