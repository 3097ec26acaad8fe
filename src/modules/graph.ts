// The layer vocabulary of src/model/graph.ts built as tfjs layers, named like the analytic ops.
import * as tfl from '@tensorflow/tfjs-layers';
import { UsageError } from '../errors';
import type { Node } from '../model/layer-vocabulary';
import { activation } from './activations';
import { convolution } from './convs';
import { add, apply, batchnorm, weights, type Tensor } from './layers';
import { seLayers } from './se';

/**
 * tfjs pools pad 'same' or 'valid' only: PyTorch's ceil_mode without padding equals 'same'
 * when the input is even and 'valid' when it is odd (k = 3, stride 2), so height and width
 * must agree.
 */
function tfjsPadding(node: Extract<Node, { kind: 'pool' }>, x: Tensor): 'same' | 'valid' {
  if (node.padding !== 'ceil') return node.padding;
  const [h, w] = [x.shape[1] ?? 0, x.shape[2] ?? 0];
  const ceil = (n: number): number => Math.ceil((n - node.k) / node.stride) + 1;
  if (ceil(h) === Math.ceil(h / node.stride) && ceil(w) === Math.ceil(w / node.stride)) return 'same';
  if (ceil(h) === Math.floor((h - node.k) / node.stride) + 1 && ceil(w) === Math.floor((w - node.k) / node.stride) + 1) return 'valid';
  throw new UsageError(`${node.name}: tfjs cannot pool a ${h}x${w} map as ceil_mode does; measure with height and width of the same parity, or --no-measure`);
}

function nodeLayers(node: Node, x: Tensor): Tensor {
  switch (node.kind) {
    case 'conv':
      return convolution(node.name, x, { filters: node.cout, kernelSize: node.k, strides: node.stride, groups: node.groups, bias: node.bias });
    case 'bn':
      return batchnorm(node.name, x);
    case 'act':
      return activation(node.name, node.act, x);
    case 'pool': {
      const config = { name: node.name, poolSize: node.k, strides: node.stride, padding: tfjsPadding(node, x) };
      return apply(node.pool === 'max' ? tfl.layers.maxPooling2d(config) : tfl.layers.averagePooling2d(config), x);
    }
    case 'gap':
      return apply(tfl.layers.globalAveragePooling2d({ name: node.name }), x);
    case 'linear': {
      const flat = x.shape.length > 2 ? apply(tfl.layers.flatten({ name: `${node.name}.flatten` }), x) : x;
      return apply(tfl.layers.dense({ name: node.name, units: node.out, useBias: node.bias, ...weights() }), flat);
    }
    case 'se':
      return seLayers(x, { ...node.se, prefix: node.prefix });
    case 'residual':
      return add(node.name, nodesLayers(node.body, x), nodesLayers(node.shortcut, x));
  }
}

export function nodesLayers(nodes: readonly Node[], x: Tensor): Tensor {
  return nodes.reduce((y, node) => nodeLayers(node, y), x);
}
