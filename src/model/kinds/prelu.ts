// nn.PReLU: ONNX PRelu, x where x > 0 else slope * x, the slope learned (one, or one per channel,
// [C, 1, 1] against an N x C x H x W map; a GraphModel's as [1, C, 1, 1]). The tfjs kernel Prelu takes the slope against the
// stored input: a per-channel one is laid out [1, 1, C] against NHWC.
import { count } from '../graph/tensor-info';
import type { OpKindDefinition } from './kind';

export const prelu: OpKindDefinition<'prelu'> = {
  onnx: { opTypes: ['PRelu'] },
  plan: (index, m) => {
    const slope = m.main.inputs[1] ?? '';
    return { inputs: [m.main.inputs[0] ?? ''], params: index.weight(slope) === undefined ? 0n : count(index.shape(slope)) };
  },
  // A slope that is a weight, one value or one per channel of a map (the layouts weightLayout knows).
  runnable: (index, { main }) => {
    const slope = main.inputs[1] ?? '';
    const [x, s] = [index.shape(main.inputs[0] ?? ''), index.shape(slope)];
    const [n, c, h, w] = [...Array<number>(Math.max(0, 4 - s.length)).fill(1), ...s];
    const perChannel = s.length >= 3 && n === 1 && c === x[1] && h === 1 && w === 1;
    // Not a map: stored as the graph lays it out, so any slope but one of rank 3 (which weightLayout would move).
    return index.weight(slope) !== undefined && (x.length === 4 ? perChannel || count(s) === 1n : s.length < 3);
  },
  run: ({ tf, input }, { main }) => tf.prelu(input(main, 0), input(main, 1)),
  // [C, 1, 1] or [1, C, 1, 1] (the slope of a map, NCHW) against the stored NHWC map: [1, 1, C], [1, 1, 1, C].
  weightLayout: (tf, _, position, raw) => (position !== 1 || raw.rank < 3 ? raw : tf.transpose(raw, raw.rank === 3 ? [1, 2, 0] : [0, 2, 3, 1])),
  kernels: { names: ['Prelu'] },
  kernelCount: () => 1,
  colour: '#b6992d',
};
