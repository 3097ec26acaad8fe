// The layer vocabulary of src/model/graph.ts walked on shapes.
import { dim, makeOp, type Op, type Shape } from '../ops';
import type { Node, Padding } from '../../model/layer-vocabulary';
import { batchnorm, conv2d, globalAvgPool, linear, reading } from './layers';
import { seOps } from './se';

/** PyTorch's pooled size of n: padding (k - 1) / 2, none, or none with ceil_mode. */
function pooledSize(n: number, k: number, stride: number, padding: Padding): number {
  switch (padding) {
    case 'same':
      return Math.floor((n + 2 * Math.floor((k - 1) / 2) - k) / stride) + 1;
    case 'valid':
      return Math.floor((n - k) / stride) + 1;
    case 'ceil':
      return Math.ceil((n - k) / stride) + 1;
  }
}

/** The last op's name and output, or the input's when there are no ops. */
function tail(ops: readonly Op[], from: string, x: Shape): { name: string; shape: Shape } {
  const last = ops.at(-1);
  return last === undefined ? { name: from, shape: x } : { name: last.name, shape: last.outputShape };
}

/** The ops of a node sequence on x, which the op named `from` produced; the first op reads it. */
export function nodesOps(nodes: readonly Node[], x: Shape, from: string): Op[] {
  const ops: Op[] = [];
  for (const node of nodes) {
    const at = tail(ops, from, x);
    const added = nodeOps(node, at.shape, at.name);
    const [first, ...rest] = added;
    if (first !== undefined) ops.push(first.reads === undefined ? reading(first, [at.name]) : first, ...rest);
  }
  return ops;
}

function nodeOps(node: Node, x: Shape, from: string): Op[] {
  switch (node.kind) {
    case 'conv':
      return [conv2d(node.name, x, node.cout, node.k, node.stride, node.bias, node.groups)];
    case 'bn':
      return [batchnorm(node.name, x)];
    case 'act':
      return [makeOp(node.name, node.act, [x], x)];
    case 'pool': {
      const size = (n: number): number => pooledSize(n, node.k, node.stride, node.padding);
      const kind = node.pool === 'max' ? 'max_pool' : 'avg_pool';
      return [
        makeOp(node.name, kind, [x], [dim(x, 0), dim(x, 1), size(dim(x, 2)), size(dim(x, 3))], { attrs: { kernel: [node.k, node.k], stride: node.stride } }),
      ];
    }
    case 'gap':
      return [globalAvgPool(node.name, x)];
    case 'linear':
      return [linear(node.name, [dim(x, 0), x.slice(1).reduce((n, d) => n * d, 1)], node.out, node.bias)]; // flattened: a view
    case 'se':
      return seOps({ input: x, ...node.se, prefix: node.prefix, source: from });
    case 'residual': {
      const body = nodesOps(node.body, x, from);
      const shortcut = nodesOps(node.shortcut, x, from);
      const [a, b] = [tail(body, from, x), tail(shortcut, from, x)];
      return [...body, ...shortcut, makeOp(node.name, 'add', [a.shape, b.shape], a.shape, { reads: [a.name, b.name] })];
    }
  }
}
