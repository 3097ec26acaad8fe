// What the binary elementwise kinds share (a + b, a - b, a * b, a / b, a ** b, and SE's x * s):
// ONNX Add, Sub, Mul, Div, Pow, one tfjs kernel each. A constant operand (`x * 0.5`, a learned
// gain) is left out of the op's inputs and said by position; an initializer PyTorch named is a
// learned tensor (nn.Parameter: YOLOv7's ImplicitA/M, a layer-scale gamma), so params; one the
// exporter made by folding (`onnx::Add_167`) is a constant.
import { own } from '../graph/types';
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { alignedShape, constantOperand } from '../graph/op-attrs';
import { count } from '../graph/tensor-info';
import { readElementwise } from './kernel-reading';
import type { OpKindDefinition, Planned, RunContext, Tensor } from './kind';
import { toStored } from './layout';

/** The elementwise kinds, each one ONNX op's but scale, SE's rescale (a Mul by a gate). */
type Elementwise = 'add' | 'mul' | 'sub' | 'div' | 'pow' | 'scale';

const KINDS: Readonly<Record<string, Elementwise>> = { Add: 'add', Mul: 'mul', Sub: 'sub', Div: 'div', Pow: 'pow' };

/** The module as an elementwise op: a Mul of a map by an N x C x 1 x 1 activation is SE's rescale (scale). */
function planElementwise(index: GraphIndex, m: NodeGroup): Planned<Elementwise> | undefined {
  const node = m.main;
  const kind = own(KINDS, node.opType);
  if (kind === undefined) return undefined;
  const at = constantOperand(index, node);
  if (at !== undefined) {
    const operand = node.inputs[at] ?? '';
    const shape = alignedShape(index.shape(operand), index.shape(m.output).length);
    // A folded initializer (exporter-named) is a constant, shown in a note, not params.
    const params = index.learned(operand) ? count(index.shape(operand)) : 0n;
    return { kind, inputs: [node.inputs[1 - at] ?? ''], attrs: { constant: { at, shape } }, params };
  }
  const activations = node.inputs.filter((t) => t !== '' && !index.isConstant(t));
  if (activations.length !== 2) return undefined;
  // An operand of lower rank than a map is aligned to it, as the executor broadcasts it (`runElementwise`).
  const rank = index.shape(m.output).length;
  const aligned = (inputs: readonly string[]): Pick<Planned<Elementwise>, 'shapes'> =>
    rank === 4 && inputs.some((t) => index.shape(t).length < 4) ? { shapes: inputs.map((t) => alignedShape(index.shape(t), 4)) } : {};
  if (node.opType !== 'Mul') return { kind, inputs: activations, ...aligned(activations) };
  // `s.expand_as(x)` is a view: the gate is what was expanded.
  const [a, b] = activations.map((t) => {
    const producer = index.producer(t);
    return producer?.opType === 'Expand' ? (producer.inputs[0] ?? t) : t;
  }) as [string, string];
  // The larger operand first, as the executor multiplies.
  const [big, small] = count(index.shape(a)) >= count(index.shape(b)) ? [a, b] : [b, a];
  // The small operand aligned to the big one's rank, as it broadcasts (Swin V2's logit scale [heads, 1, 1]).
  const [bs, ss] = [index.shape(big), alignedShape(index.shape(small), index.shape(big).length)];
  // Also on a 1 x 1 map, as the tfjs reader sees a per-channel gate.
  const gate = bs.length === 4 && ss.length === 4 && ss[2] === 1 && ss[3] === 1 && ss[1] === bs[1] && ss[0] === bs[0];
  return { kind: gate ? 'scale' : 'mul', inputs: [big, small], ...aligned([big, small]) };
}

function runElementwise({ tf, index, input, constant }: RunContext, { main }: NodeGroup): Tensor {
  const at = constantOperand(index, main);
  const rank = index.shape(main.outputs[0] ?? '').length;
  // An activation of lower rank against a stored map (Swin V2's logit scale [heads, 1, 1] times
  // the attention [B, heads, N, N]): aligned to rank 4 and stored, as the constants are.
  const operand = (i: number): Tensor => {
    if (i === at) return constant(main, i);
    const t = input(main, i);
    return rank === 4 && t.rank < 4 ? toStored(tf, tf.reshape(t, alignedShape(t.shape, 4))) : t;
  };
  const [a, b] = [operand(0), operand(1)];
  switch (main.opType) {
    case 'Mul':
      // Two maps: the larger first, as the analytic op lists them (the feature map, then SE's gate).
      return at === undefined && a.size < b.size ? tf.mul(b, a) : tf.mul(a, b);
    case 'Sub':
      return tf.sub(a, b);
    case 'Div':
      return tf.div(a, b);
    case 'Pow':
      return tf.pow(a, b);
    default:
      return tf.add(a, b);
  }
}

/** The elementwise kind `kind`, from the ONNX op `opType`, read back from the tfjs kernels `names`. */
export function elementwiseKind<K extends string>(
  kind: K,
  opType: string,
  names: readonly string[],
  colour: string,
  reading: OpKindDefinition<K>['kernels']['read'],
): OpKindDefinition<K> {
  return {
    onnx: { opTypes: [opType] },
    plan: (index, m) => {
      const planned = planElementwise(index, m);
      return planned?.kind === kind ? planned : undefined;
    },
    runnable: () => true,
    run: runElementwise,
    facts: (index, m) => {
      const at = constantOperand(index, m.main);
      return at === undefined ? {} : { constantAt: at };
    },
    kernels: { names, read: reading ?? ((kernel, layer) => readElementwise(kind, kernel, layer)) },
    kernelCount: () => 1,
    colour,
  };
}
