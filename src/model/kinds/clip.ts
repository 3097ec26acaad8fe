// torch.clamp (F.normalize's clamp_min, Swin V2's clamp of its logit scale): ONNX Clip with any
// bounds but ReLU6's [0, 6] (relu6), given as inputs (opset 11 on) or attributes (before it);
// the tfjs kernel ClipByValue, a missing bound at infinity. No peer counts it: thop and ptflops
// see a function, fvcore ignores aten::clamp (jit_analysis.py:37) and skips aten::clamp_min.
import type { GraphIndex } from '../graph/graph-index';
import { count } from '../graph/tensor-info';
import { attrFloat, type GraphNode } from '../graph/types';
import type { OpKindDefinition } from './kind';
import { isRelu6 } from './relu6';

/** Clip's bounds, infinite where left out; undefined where one is computed from data (not a constant). */
export function clipBounds(index: GraphIndex, node: GraphNode): { min: number; max: number } | undefined {
  const bound = (i: number, name: string, fallback: number): number | undefined => {
    const t = node.inputs[i] ?? '';
    if (t === '') return attrFloat(node, name, fallback);
    const values = index.g.tensors.get(t)?.values;
    return values === undefined ? undefined : Number(values.data[0]);
  };
  const [min, max] = [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
  return min === undefined || max === undefined ? undefined : { min, max };
}

export const clip: OpKindDefinition<'clip'> = {
  onnx: { opTypes: ['Clip'] },
  plan: (index, m) => {
    if (isRelu6(index, m.main) || clipBounds(index, m.main) === undefined) return undefined;
    // A learned tensor clamped as it is (Swin V2's logit scale, an nn.Parameter) is the op's params.
    const x = m.main.inputs[0] ?? '';
    return { inputs: [x], params: index.learned(x) ? count(index.shape(x)) : 0n };
  },
  runnable: () => true,
  run: ({ tf, index, input }, { main }) => {
    const { min, max } = clipBounds(index, main) ?? { min: -Infinity, max: Infinity };
    return tf.clipByValue(input(main, 0), min, max);
  },
  kernels: { names: ['ClipByValue'] },
  kernelCount: () => 1,
  colour: '#e39bb6',
};
