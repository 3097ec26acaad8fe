// A network plan walked on shapes.
import type { Op, Shape } from '../ops';
import type { Piece } from '../../model/networks';
import { dim } from '../ops';
import { convBnRelu, globalAvgPool, linear, outputOf, pool } from './layers';
import { nodesOps } from './graph';
import { inceptionBlockOps } from './inception';
import { resnetBlockOps } from './resnet';

/** A piece's ops on input x, which the op named `from` produced. */
function pieceOps(piece: Piece, x: Shape, from: string): Op[] {
  switch (piece.kind) {
    case 'conv-bn-relu':
      return convBnRelu(piece.prefix, piece.suffix, x, piece.cout, piece.k, piece.stride);
    case 'pool':
      return [pool(piece.name, piece.pool === 'max' ? 'max_pool' : 'avg_pool', x, piece.k, piece.stride)];
    case 'resnet-block':
      return resnetBlockOps(x, piece.cfg, piece.prefix, from);
    case 'inception-block':
      return inceptionBlockOps(x, piece.cfg, piece.prefix, from);
    case 'global-pool':
      return [globalAvgPool(piece.name, x)];
    case 'linear':
      return [linear(piece.name, [dim(x, 0), dim(x, 1)], piece.out, piece.bias)];
    case 'nodes':
      return nodesOps(piece.nodes, x, from);
  }
}

export function networkOps(plan: readonly Piece[], input: Shape): Op[] {
  const ops: Op[] = [];
  let x = input;
  for (const piece of plan) {
    const added = pieceOps(piece, x, ops.at(-1)?.name ?? 'input');
    ops.push(...added);
    x = outputOf(added);
  }
  return ops;
}
