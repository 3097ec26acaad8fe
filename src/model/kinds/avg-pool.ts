// nn.AvgPool2d: ONNX AveragePool; with padding=p the exporter writes a zero Pad before an
// unpadded AveragePool (one module, model/graph/fusions), run as that pad and the pool and read
// back as one op on the unpadded input (ptflops counts numel of that). The tfjs kernel AvgPool.
// ceil_mode and count_include_pad as PyTorch averages: model/kinds/pools.
import { padSpec } from '../graph/op-attrs';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition } from './kind';
import { storedPads } from './pad';
import { countsPads, planPool, poolFacts, poolPad, readPool, undilated, windowOf } from './pools';
import { padding, strides, type Padding } from './windows';

export const avgPool: OpKindDefinition<'avg_pool'> = {
  onnx: { opTypes: ['AveragePool'], fusions: ['padded-avg-pool'] },
  plan: (_, m) => planPool(m.main, m.fused === 'padded-avg-pool' ? (m.nodes[0]?.inputs[0] ?? '') : (m.main.inputs[0] ?? '')),
  runnable: (_, m) => undilated(m.main),
  run: ({ tf, index, input }, m) => {
    const [kh = 1, kw = 1] = windowOf(m.main);
    const counted = countsPads(m.main);
    const pool = (x: Parameters<typeof tf.avgPool>[0]) => tf.avgPool(x, [kh, kw], strides(m.main), poolPad(index, m.main, counted));
    if (counted) {
      // count_include_pad: the pads are zeros the average counts, so they are a pad before the pool.
      const [, [t, b], [l, r]] = padding(m.main) as Exclude<Padding, string>;
      return pool(
        tf.pad(
          input(m.main, 0),
          [
            [0, 0],
            [t, b],
            [l, r],
            [0, 0],
          ],
          0,
        ) as Parameters<typeof tf.avgPool>[0],
      );
    }
    const [pad] = m.nodes;
    const spec = m.fused === 'padded-avg-pool' && pad !== undefined ? padSpec(index.g, pad) : undefined;
    if (pad === undefined || spec === undefined) return pool(input(m.main, 0) as Parameters<typeof tf.avgPool>[0]);
    // A zero pad of H and W: the fusion checked it.
    return pool(tf.pad(input(pad, 0), storedPads(spec), 0) as Parameters<typeof tf.avgPool>[0]);
  },
  facts: (_, m) => poolFacts(m.main),
  kernels: {
    names: ['AvgPool'],
    read: (kernel, layer) => (layer.adaptive === true ? undefined : readPool('avg_pool', kernel, layer)),
    composite: (kernels, names, layer) => {
      const [first, last] = [kernels[0], kernels.at(-1)];
      if (names !== 'PadV2 AvgPool' || first === undefined || last === undefined) return undefined;
      return draft('avg_pool', [shapeAt(first.inputShapes, 0, first.name)], shapeAt(last.outputShapes, 0, last.name), {
        kernel: layer.poolSize ?? [1, 1],
        stride: layer.stride ?? 1,
      });
    },
  },
  kernelCount: (_, m) => (m.fused === 'padded-avg-pool' || countsPads(m.main) ? 2 : 1),
  colour: '#edc948',
};
