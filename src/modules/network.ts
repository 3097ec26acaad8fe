// A network plan built as tfjs layers.
import * as tfl from '@tensorflow/tfjs-layers';
import type { Piece } from '../model/networks';
import { apply, convBnRelu, pool, weights, type Tensor } from './layers';
import { nodesLayers } from './graph';
import { inceptionBlockLayers } from './inception';
import { resnetBlockLayers } from './resnet';

function pieceLayers(piece: Piece, x: Tensor): Tensor {
  switch (piece.kind) {
    case 'conv-bn-relu':
      return convBnRelu(piece.prefix, piece.suffix, x, piece.cout, piece.k, piece.stride);
    case 'pool':
      return pool(piece.name, piece.pool, x, piece.k, piece.stride);
    case 'resnet-block':
      return resnetBlockLayers(x, piece.cfg, piece.prefix);
    case 'inception-block':
      return inceptionBlockLayers(x, piece.cfg, piece.prefix);
    case 'global-pool':
      return apply(tfl.layers.globalAveragePooling2d({ name: piece.name }), x);
    case 'linear':
      return apply(tfl.layers.dense({ name: piece.name, units: piece.out, useBias: piece.bias, ...weights() }), x);
    case 'nodes':
      return nodesLayers(piece.nodes, x);
  }
}

export function networkLayers(plan: readonly Piece[], x: Tensor): Tensor {
  return plan.reduce((y, piece) => pieceLayers(piece, y), x);
}
