// nn.Upsample(mode='nearest'): ONNX Resize, nearest, of H and W only. tfjs' ResizeNearestNeighbor
// computes PyTorch's floor(out / scale) only without half-pixel centres: the asymmetric
// coordinate transformation, which is what PyTorch exports for nearest.
import { attrString } from '../graph/types';
import type { OpKindDefinition } from './kind';

export const resize: OpKindDefinition = {
  onnx: { opTypes: ['Resize'] },
  plan: (index, m) => {
    const [x, y] = [index.shape(m.main.inputs[0] ?? ''), index.shape(m.main.outputs[0] ?? '')];
    const nearest = attrString(m.main, 'mode', 'nearest') === 'nearest' && x.length === 4 && x[0] === y[0] && x[1] === y[1];
    return nearest ? { inputs: [m.main.inputs[0] ?? ''] } : undefined;
  },
  runnable: (_, { main }) => attrString(main, 'coordinate_transformation_mode', 'half_pixel') === 'asymmetric',
  run: ({ tf, index, input }, { main }) => {
    const [, , h = 1, w = 1] = index.shape(main.outputs[0] ?? '');
    return tf.image.resizeNearestNeighbor(input(main, 0) as Parameters<typeof tf.image.resizeNearestNeighbor>[0], [h, w]);
  },
  kernels: { names: ['ResizeNearestNeighbor'] },
  kernelCount: () => 1,
  colour: '#d4a6c8',
};
