import { dim, input, numel, OP_KINDS, type Op, type OpKind, type Shape } from '../ops';

/** Every convention seprof counts, in report order. */
export const CONVENTION_KEYS = ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet'] as const;
export type ConventionKey = (typeof CONVENTION_KEYS)[number];

/** How one counter counts one op kind. */
export interface Rule {
  /** The rule in words, as docs/conventions.md states it. */
  formula: string;
  count(op: Op): bigint;
}

/**
 * Why a counter leaves an op kind at 0, as fvcore tells the two apart: `ignored`, the tool
 * knows the op and treats it as free on purpose (fvcore's ignored ops, a convention that counts
 * only products); `unsupported`, the tool has no rule for it (fvcore lists it as skipped,
 * thop's and ptflops' hooks never see it).
 */
export type SkipKind = 'ignored' | 'unsupported';

/** An op kind the counter does not count, and why. */
export interface Skip {
  skipped: SkipKind;
  reason: string;
}

/** One count for every op kind, or a reason for none: nothing is left out silently. */
export type RuleTable = Record<OpKind, Rule | Skip>;

/** A convention that counts no backward pass, and why. */
export interface ForwardOnly {
  forwardOnly: string;
}

export interface Convention<K extends ConventionKey = ConventionKey> {
  key: K;
  /** The counter and version the rules were read from. */
  source: string;
  unit: 'MACs' | 'FLOPs';
  /** The forward pass. */
  rules: RuleTable;
  /** The backward pass, beside the forward rules so that the two cannot drift apart. */
  backward: RuleTable | ForwardOnly;
  /** How it counts an op no module made (a model file's function call, `attrs.origin`), when that differs from `rules`. */
  notByModule?: string;
}

export function isForwardOnly(entry: RuleTable | ForwardOnly): entry is ForwardOnly {
  return 'forwardOnly' in entry;
}

export const forwardOnly = (why: string): ForwardOnly => ({ forwardOnly: why });

export function isSkip(rule: Rule | Skip): rule is Skip {
  return 'skipped' in rule;
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
/** The batch a counter divides by: the model's (model files name it when the op's dim 0 is not it), else the op's dim 0. */
export const batchOf = (op: Op): bigint => BigInt(op.attrs.batch ?? dim(input(op), 0));

/** Whether a module made the op (its forward hook fires), not a function or tensor method called in another module's forward. */
export const byModule = (op: Op): boolean => op.attrs.origin === undefined;

/** Multiply-accumulates of a convolution, bias ignored: numel(out) * (Cin/g) * kh * kw. */
export function convMacs(op: Op): bigint {
  const [kh, kw] = op.attrs.kernel ?? [1, 1];
  const [cin, groups] = [BigInt(dim(input(op), 1)), BigInt(op.attrs.groups ?? 1)];
  if (cin % groups !== 0n) throw new Error(`conv ${op.name}: ${cin} input channels in ${groups} groups`);
  return out(op) * (cin / groups) * BigInt(kh) * BigInt(kw);
}

/**
 * Multiply-accumulates of a transposed convolution, bias ignored: numel(in) * (Cout/g) * kh * kw,
 * every input element times every weight it meets (products cropped away by padding included).
 */
export function convTransposeMacs(op: Op): bigint {
  const [kh, kw] = op.attrs.kernel ?? [1, 1];
  const [cout, groups] = [BigInt(dim(op.outputShape, 1)), BigInt(op.attrs.groups ?? 1)];
  if (cout % groups !== 0n) throw new Error(`conv_transpose ${op.name}: ${cout} output channels in ${groups} groups`);
  return inp(op) * (cout / groups) * BigInt(kh) * BigInt(kw);
}

/** Multiply-accumulates of a linear layer, bias ignored: rows * in * out. */
export function linearMacs(op: Op): bigint {
  return inp(op) * BigInt(dim(op.outputShape, -1));
}

/** The contracted size K of a matmul [..., M, K] x [..., K, N]. */
export const contractedSize = (op: Op): bigint => BigInt(dim(input(op), -1));

/** The second operand of a matmul. */
export function rightOperand(op: Op): Shape {
  const b = op.inputShapes[1];
  if (b === undefined) throw new Error(`matmul ${op.name} has one operand`);
  return b;
}

/** Multiply-accumulates of a matmul: K per output element, over the broadcast batch axes. */
export const matmulMacs = (op: Op): bigint => out(op) * contractedSize(op);

/**
 * A matmul as fvcore's and ptflops' handles count it: numel(a) * N, the first operand's size
 * times the output width. Equal to matmulMacs unless `a` is broadcast along batch axes.
 */
export const leftTimesWidth = (op: Op): bigint => inp(op) * BigInt(dim(rightOperand(op), -1));

/** An einsum's letters with their sizes, from its equation and operands. */
function einsumLetters(op: Op): { sizes: Map<string, bigint>; contracted: boolean } {
  const [lhs = '', output = ''] = (op.attrs.equation ?? '').split('->');
  const sizes = new Map<string, bigint>();
  lhs.split(',').forEach((operand, i) => {
    [...operand].forEach((letter, axis) => {
      const d = BigInt(dim(op.inputShapes[i] ?? [], axis));
      if ((sizes.get(letter) ?? 1n) === 1n) sizes.set(letter, d);
    });
  });
  return { sizes, contracted: [...sizes.keys()].some((letter) => !output.includes(letter)) };
}

/** An einsum's multiply-accumulates: P, the product of every letter's size (each output element sums over the contracted letters). */
export const einsumMacs = (op: Op): bigint => [...einsumLetters(op).sizes.values()].reduce((n, d) => n * d, 1n);

/** Whether the einsum sums over a letter (an inner product), not only multiplies. */
export const einsumContracts = (op: Op): boolean => einsumLetters(op).contracted;

/** Elements of the output that get a bias added (0 without bias). */
export function biasAdds(op: Op): bigint {
  return op.attrs.bias ? out(op) : 0n;
}

/** Pool window size kh*kw (H*W for the global pool, which can pass 2^53). */
export function window(op: Op): bigint {
  const [kh, kw] = op.attrs.kernel ?? [1, 1];
  return BigInt(kh) * BigInt(kw);
}

/** The length n softmax normalises over: the size of its axis. */
export function softmaxLength(op: Op): bigint {
  return BigInt(dim(input(op), op.attrs.axis ?? -1));
}

/** Softmax over n in rows: n exps, n - 1 adds and n divides per row (thop's count_softmax). */
export const softmaxOps = (op: Op): bigint => (inp(op) / softmaxLength(op)) * (3n * softmaxLength(op) - 1n);

/** The rows a layernorm normalises: numel over n, the size of its axis and every axis after it. */
export function normRows(op: Op): bigint {
  const x = input(op);
  return numel(x.slice(0, op.attrs.axis ?? -1));
}

/** The (sample, channel) pairs an instance norm normalises separately: N * C. */
export const instanceRows = (op: Op): bigint => BigInt(dim(input(op), 0)) * BigInt(dim(input(op), 1));

/** The (sample, group) pairs a group norm normalises separately: N * G. */
export const groupRows = (op: Op): bigint => BigInt(dim(input(op), 0)) * BigInt(op.attrs.groups ?? 1);

/** The elements a layernorm's learned scale and shift touch: numel(in) each, when present. */
export const affineElements = (op: Op): bigint => (op.attrs.affine ? inp(op) : 0n) + (op.attrs.bias ? inp(op) : 0n);

export interface Operand {
  shape: Shape;
  /**
   * Whether the backward pass computes its gradient: an activation's, and a learned constant's
   * (an initializer, the op's params, trained as any weight); a literal constant gets none.
   */
  gradient: boolean;
}

/** Whether autograd takes the gradient of the op's first input: not when it is frozen (a buffer, or computed from constants only). */
export const inputGradient = (op: Op): boolean => op.attrs.frozen === undefined || (op.attrs.frozen !== 'all' && !op.attrs.frozen.includes(0));

/** The two operands of a binary elementwise op in operator order (`a - b`: a, then b). */
export function operands(op: Op): [Operand, Operand] {
  const frozen = op.attrs.frozen;
  const activations = op.inputShapes.map((shape, i): Operand => ({ shape, gradient: frozen !== 'all' && !frozen?.includes(i) }));
  const constant = op.attrs.constant;
  if (constant !== undefined) activations.splice(constant.at, 0, { shape: constant.shape, gradient: op.params > 0n });
  const [a, b] = activations;
  // `x * x` reads one tensor twice: both operands are it.
  if (a === undefined) throw new Error(`${op.kind} ${op.name} has no operands`);
  return [a, b ?? a];
}

export const rule = (formula: string, count: (op: Op) => bigint): Rule => ({ formula, count });

/** A full rule table from the kinds a counter counts; every other kind is skipped for one reason. */
export function onlyThese(counted: Partial<RuleTable>, otherwise: Skip): RuleTable {
  return Object.fromEntries(OP_KINDS.map((kind) => [kind, counted[kind] ?? otherwise])) as RuleTable;
}
export const ignored = (reason: string): Skip => ({ skipped: 'ignored', reason });
export const unsupported = (reason: string): Skip => ({ skipped: 'unsupported', reason });
