// The decisions made over a whole GraphDef before it is translated (model/tfjs-graph/translate):
// which nodes become one (a BiasAdd into its conv, the spelled-out hard sigmoid, Keras' Reshape
// with an open batch), what passes data through, and the order the outputs need the nodes in.
import { UsageError } from '../../errors';
import type { ByteSource } from '../../fs/byte-source';
import type { Quantization, Values } from '../graph/types';
import type { NodeAttrs } from './attrs';

export interface TfNode {
  name: string;
  op: string;
  /** Data inputs, `name` or `name:k`; control edges are left out. */
  inputs: readonly string[];
  attrs: NodeAttrs;
}

/** A Const node: its shape, dtype and where its bytes are (the manifest), or its values when small. */
export interface Constant {
  name: string;
  dims: readonly number[];
  dtype: string;
  at?: { sources: readonly ByteSource[]; offset: number; length: number; quantization?: Quantization };
  values?: Values;
}

export const ALIASES = new Set(['Identity', 'IdentityN', 'StopGradient', 'Snapshot', 'PreventGradient']);

export const nodeOf = (ref: string): string => ref.replace(/:\d+$/, '');
export const outputIndex = (ref: string): number => Number(/:(\d+)$/.exec(ref)?.[1] ?? 0);

/** A spelled-out hard sigmoid: clip(alpha x + beta, 0, 1) of `input`. */
export interface HardSigmoid {
  input: string;
  alpha: number;
  beta: number;
}

/**
 * Decisions made over the whole GraphDef before translating: a BiasAdd that is a conv's or
 * MatMul's bias (the conv gets it, as Keras' layer has it), TensorFlow's spelled-out hard sigmoid
 * `relu6(x + 3) / 6` (MobileNetV3's gate, one HardSigmoid as PyTorch's nn.Hardsigmoid) and Keras'
 * older `clip(0.2 x + 0.5, 0, 1)` (ClipByValue, or Minimum then Maximum as TF 2's clip_by_value
 * traces), and the data inputs each node then reads.
 */
export class Plan {
  readonly byName: ReadonlyMap<string, TfNode>;
  /** BiasAdd -> the conv or MatMul it completes. */
  readonly biasOf = new Map<string, TfNode>();
  /** Mul or RealDiv of relu6(x + 3) / 6, or the clip of clip(alpha x + beta, 0, 1) -> x, alpha and beta. */
  readonly hardSigmoid = new Map<string, HardSigmoid>();
  /**
   * Keras' Reshape and Flatten with an open batch, a Reshape to `[shape(x)[0], ...]` (Shape,
   * StridedSlice, Pack): the target with 0 for the batch (ONNX's Reshape copies the input's size there).
   */
  readonly kerasTarget = new Map<string, number[]>();

  constructor(
    nodes: readonly TfNode[],
    private readonly consts: ReadonlyMap<string, Constant>,
  ) {
    this.byName = new Map(nodes.map((n) => [n.name, n]));
    const readers = new Map<string, number>();
    for (const n of nodes) for (const ref of n.inputs) readers.set(nodeOf(ref), (readers.get(nodeOf(ref)) ?? 0) + 1);
    const only = (ref: string): TfNode | undefined => {
      const n = this.byName.get(nodeOf(ref));
      return n !== undefined && readers.get(n.name) === 1 && outputIndex(ref) === 0 ? n : undefined;
    };
    for (const n of nodes) {
      if (n.op === 'BiasAdd') {
        const producer = only(n.inputs[0] ?? '');
        if (producer !== undefined && ['Conv2D', 'DepthwiseConv2dNative', 'MatMul'].includes(producer.op)) this.biasOf.set(n.name, producer);
      }
      const target = n.op === 'Reshape' ? this.openBatchTarget(n) : undefined;
      if (target !== undefined) this.kerasTarget.set(n.name, target);
      if (n.op === 'Mul' || n.op === 'RealDiv') {
        const x = this.hardSigmoidInput(n, only);
        if (x !== undefined) this.hardSigmoid.set(n.name, { input: x, alpha: 1 / 6, beta: 0.5 });
      }
      const clipped = n.op === 'ClipByValue' || n.op === 'Maximum' ? this.clippedLine(n, only) : undefined;
      if (clipped !== undefined) this.hardSigmoid.set(n.name, clipped);
    }
  }

  /** A one-element constant's value. */
  scalar(ref: string): number | undefined {
    const c = this.consts.get(nodeOf(this.resolve(ref)));
    return c?.values?.data.length === 1 ? Number(c.values.data[0]) : undefined;
  }

  /** The tensor behind Identity-like nodes. */
  resolve(ref: string): string {
    // A loop, not recursion: a chain of thousands of Identity nodes; a cycle of them stops (the order reports it).
    const seen = new Set<string>();
    let at = ref;
    for (;;) {
      const n = this.byName.get(nodeOf(at));
      const k = outputIndex(at);
      const next = n === undefined ? undefined : n.op === 'IdentityN' ? n.inputs[k] : ALIASES.has(n.op) && k === 0 ? n.inputs[0] : undefined;
      if (next === undefined || seen.has(at)) return at;
      seen.add(at);
      at = next;
    }
  }

  private hardSigmoidInput(n: TfNode, only: (ref: string) => TfNode | undefined): string | undefined {
    const [a = '', b = ''] = n.inputs;
    const near = (v: number | undefined, want: number): boolean => v !== undefined && Math.abs(v - want) < 1e-6;
    const gated =
      n.op === 'RealDiv' ? (near(this.scalar(b), 6) ? a : undefined) : near(this.scalar(b), 1 / 6) ? a : near(this.scalar(a), 1 / 6) ? b : undefined;
    const relu6 = gated === undefined ? undefined : only(gated);
    if (relu6?.op !== 'Relu6') return undefined;
    const add = only(relu6.inputs[0] ?? '');
    if (add?.op !== 'AddV2' && add?.op !== 'Add') return undefined;
    const [p = '', q = ''] = add.inputs;
    return near(this.scalar(q), 3) ? p : near(this.scalar(p), 3) ? q : undefined;
  }

  /** clip(alpha x + beta, 0, 1): ClipByValue(y, 0, 1) or Maximum(Minimum(y, 1), 0), y = Add(Mul(x, alpha), beta). */
  private clippedLine(n: TfNode, only: (ref: string) => TfNode | undefined): HardSigmoid | undefined {
    const [a = '', b = '', c = ''] = n.inputs;
    // The constant operand of a binary node, and the other one.
    const split = (node: TfNode): [number, string] | undefined => {
      const [p = '', q = ''] = node.inputs;
      const [vp, vq] = [this.scalar(p), this.scalar(q)];
      return vq !== undefined ? [vq, p] : vp !== undefined ? [vp, q] : undefined;
    };
    let line: string | undefined;
    if (n.op === 'ClipByValue') line = this.scalar(b) === 0 && this.scalar(c) === 1 ? a : undefined;
    else {
      const [low, inner] = split(n) ?? [];
      const min = low === 0 && inner !== undefined ? only(inner) : undefined;
      const [high, y] = min?.op === 'Minimum' ? (split(min) ?? []) : [];
      line = high === 1 ? y : undefined;
    }
    const add = line === undefined ? undefined : only(line);
    if (add?.op !== 'AddV2' && add?.op !== 'Add') return undefined;
    const [beta, product] = split(add) ?? [];
    const mul = product === undefined ? undefined : only(product);
    const [alpha, input] = mul?.op === 'Mul' ? (split(mul) ?? []) : [];
    return alpha !== undefined && beta !== undefined && input !== undefined && alpha > 0 ? { input, alpha, beta } : undefined;
  }

  private openBatchTarget(n: TfNode): number[] | undefined {
    const producer = (ref: string): TfNode | undefined => this.byName.get(nodeOf(this.resolve(ref)));
    const pack = producer(n.inputs[1] ?? '');
    if (pack?.op !== 'Pack' || pack.inputs.length < 2 || pack.attrs.int('axis', 0) !== 0) return undefined;
    const rest = pack.inputs.slice(1).map((r) => this.scalar(r));
    const slice = producer(pack.inputs[0] ?? '');
    const shape = slice?.op === 'StridedSlice' ? producer(slice.inputs[0] ?? '') : undefined;
    // shape(x)[0]: the slice [0, 1) of x's shape, squeezed.
    const first = slice?.op === 'StridedSlice' && this.scalar(slice.inputs[1] ?? '') === 0 && this.scalar(slice.inputs[2] ?? '') === 1;
    const batch = first && shape?.op === 'Shape' && this.resolve(shape.inputs[0] ?? '') === this.resolve(n.inputs[0] ?? '');
    return batch && rest.every((d) => d !== undefined && Number.isInteger(d)) ? [0, ...(rest as number[])] : undefined;
  }

  /** The node's data inputs once the decisions above are taken. */
  inputsOf(n: TfNode): readonly string[] {
    if (this.kerasTarget.has(n.name)) return n.inputs.slice(0, 1);
    const conv = this.biasOf.get(n.name);
    if (conv !== undefined) return [...conv.inputs, n.inputs[1] ?? ''];
    const x = this.hardSigmoid.get(n.name);
    return x === undefined ? n.inputs : [x.input];
  }
}

/** The nodes the outputs need, in an order where each comes after what it reads. */
export function executionOrder(plan: Plan, outputs: readonly string[], path: string): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const output of outputs) {
    const root = plan.byName.get(nodeOf(output));
    if (root === undefined) throw new UsageError(`${path}: the signature names output '${output}', which the graph does not have`);
    // Depth-first without recursion: a chain of thousands of nodes must not overflow the stack.
    const stack: [TfNode, number][] = [[root, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [TfNode, number];
      const [node, next] = top;
      if (next === 0) {
        if (state.get(node.name) === 'done') {
          stack.pop();
          continue;
        }
        state.set(node.name, 'open');
      }
      const inputs = plan.inputsOf(node);
      if (next < inputs.length) {
        top[1] = next + 1;
        const ref = inputs[next] as string;
        const input = plan.byName.get(nodeOf(ref));
        if (input === undefined) throw new UsageError(`${path}: node '${node.name}' reads '${ref}', which the graph does not have`);
        const seen = state.get(input.name);
        if (seen === 'open')
          throw new UsageError(`${path}: the graph has a cycle through node '${input.name}' (control flow such as a while loop is not read)`);
        if (seen === undefined) stack.push([input, 0]);
        continue;
      }
      state.set(node.name, 'done');
      order.push(node);
      stack.pop();
    }
  }
  return order;
}
