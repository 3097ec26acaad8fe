// torch.einsum of two operands (window attention's `bhqd,bhkd->bhqk` and `bhqk,bhkd->bhqd`): ONNX
// Einsum, no ellipsis. A product like matmul's, counted by its letters: P, the product of every
// letter's size, multiply-accumulates. tfjs' own Einsum kernel has no gradient and no wasm kernel,
// so the executor runs it as torch does for two operands: each operand permuted to (batch letters,
// its own letters, the summed letters), one BatchMatMul, the result permuted to the output's order
// (transposes and reshapes are layout). An initializer operand is a learned tensor (params).
import { letterSizes, parseEinsum, type EinsumEquation } from '../graph/einsum-equation';
import type { GraphIndex } from '../graph/graph-index';
import { count } from '../graph/tensor-info';
import { attrString, type GraphNode } from '../graph/types';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition, Tensor, Tf } from './kind';
import { toGraphOrder, toStored } from './layout';

/** How the two operands become one batched product: the letters of each part, in order. */
interface Product {
  equation: string;
  batch: string[];
  left: string[];
  right: string[];
  summed: string[];
  /** Every letter's size. */
  sizes: Map<string, number>;
}

/** The node as a product, or undefined when seprof does not read it (an ellipsis, not two operands, a broadcast letter, a letter summed in one operand only). */
function productOf(index: GraphIndex, node: GraphNode): Product | undefined {
  const eq: EinsumEquation | string = parseEinsum(attrString(node, 'equation', ''));
  if (typeof eq === 'string' || eq.operands.length !== 2 || node.inputs.length !== 2) return undefined;
  const shapes = node.inputs.map((t) => index.shape(t));
  const sizes = letterSizes(eq, shapes);
  const [a = '', b = ''] = eq.operands;
  if (sizes === undefined) return undefined;
  // A letter of size 1 on one side only and another size on the other would broadcast: not read.
  for (const letter of a) if (b.includes(letter) && shapes[0]?.[a.indexOf(letter)] !== shapes[1]?.[b.indexOf(letter)]) return undefined;
  const lonely = [...a, ...b].some((c) => !eq.output.includes(c) && !(a.includes(c) && b.includes(c)));
  if (lonely) return undefined;
  const batch = [...eq.output].filter((c) => a.includes(c) && b.includes(c));
  return {
    equation: `${a},${b}->${eq.output}`,
    batch,
    left: [...eq.output].filter((c) => a.includes(c) && !b.includes(c)),
    right: [...eq.output].filter((c) => b.includes(c) && !a.includes(c)),
    summed: [...a].filter((c) => b.includes(c) && !eq.output.includes(c)),
    sizes,
  };
}

const sizeOf = (p: Product, letters: readonly string[]): number => letters.reduce((n, c) => n * (p.sizes.get(c) as number), 1);

/** The permutations the executor runs: each operand to (batch, own, summed) / (batch, summed, own), the product to the output's order. */
function perms(p: Product): { a: number[]; b: number[]; out: number[] } {
  const [a = '', b = ''] = p.equation.split('->')[0]?.split(',') ?? [];
  const output = p.equation.split('->')[1] ?? '';
  const product = [...p.batch, ...p.left, ...p.right];
  return {
    a: [...p.batch, ...p.left, ...p.summed].map((c) => a.indexOf(c)),
    b: [...p.batch, ...p.summed, ...p.right].map((c) => b.indexOf(c)),
    out: [...output].map((c) => product.indexOf(c)),
  };
}

const moves = (perm: readonly number[]): boolean => perm.some((axis, i) => axis !== i);

function runProduct(tf: Tf, p: Product, a: Tensor, b: Tensor): Tensor {
  const perm = perms(p);
  const [batch, m, n, k] = [sizeOf(p, p.batch), sizeOf(p, p.left), sizeOf(p, p.right), sizeOf(p, p.summed)];
  const left = tf.reshape(moves(perm.a) ? tf.transpose(a, perm.a) : a, [batch, m, k]);
  const right = tf.reshape(moves(perm.b) ? tf.transpose(b, perm.b) : b, [batch, k, n]);
  const product = tf.reshape(
    tf.matMul(left, right),
    [...p.batch, ...p.left, ...p.right].map((c) => p.sizes.get(c) as number),
  );
  return moves(perm.out) ? tf.transpose(product, perm.out) : product;
}

export const einsum: OpKindDefinition<'einsum'> = {
  onnx: { opTypes: ['Einsum'] },
  plan: (index, m) => {
    const p = productOf(index, m.main);
    if (p === undefined) return undefined;
    const params = m.main.inputs.filter((t) => index.learned(t)).reduce((n, t) => n + count(index.shape(t)), 0n);
    return { inputs: m.main.inputs.filter((t) => !index.isConstant(t)), attrs: { equation: p.equation }, params };
  },
  // Two activations: a constant operand would leave the op one input, which the kernel reading cannot place.
  runnable: (index, { main }) => main.inputs.every((t) => !index.isConstant(t)),
  run: ({ tf, index, input }, { main }) =>
    toStored(tf, runProduct(tf, productOf(index, main) as Product, toGraphOrder(tf, input(main, 0)), toGraphOrder(tf, input(main, 1)))),
  facts: (index, m) => {
    const p = productOf(index, m.main);
    return p === undefined ? {} : { einsum: { equation: p.equation, operands: m.main.inputs.map((t) => index.shape(t)) } };
  },
  kernels: {
    names: ['BatchMatMul'],
    // The BatchMatMul [B, M, K] x [B, K, N] is the einsum of the layer's operands when B * M * K * N is its P.
    read: (kernel, layer) => {
      if (layer.einsum === undefined) return undefined;
      const [a, b] = [shapeAt(kernel.inputShapes, 0, kernel.name), shapeAt(kernel.inputShapes, 1, kernel.name)];
      const product = [...a, b.at(-1) as number].reduce((n, d) => n * BigInt(d), 1n);
      const [left = '', right = ''] = layer.einsum.equation.split('->')[0]?.split(',') ?? [];
      const sizes = new Map<string, number>();
      [left, right].forEach((letters, i) => {
        for (const [axis, c] of [...letters].entries()) sizes.set(c, layer.einsum?.operands[i]?.[axis] as number);
      });
      const expected = [...sizes.values()].reduce((n, d) => n * BigInt(d), 1n);
      const output = layer.einsum.equation.split('->')[1] ?? '';
      const [shapes, y] =
        product === expected ? [layer.einsum.operands, [...output].map((c) => sizes.get(c) as number)] : [[a, b], shapeAt(kernel.outputShapes, 0, kernel.name)];
      return { ...draft('einsum', [], []), inputShapes: [...shapes], outputShape: [...y], attrs: { equation: layer.einsum.equation } };
    },
  },
  // The product, its non-identity permutations, and each 4-D operand's and the output's layout moves.
  kernelCount: (index, { main }) => {
    const p = productOf(index, main);
    const perm = p === undefined ? undefined : perms(p);
    const permuted = perm === undefined ? 0 : [perm.a, perm.b, perm.out].filter(moves).length;
    return 1 + permuted + [...main.inputs.slice(0, 2), main.outputs[0] ?? ''].filter((t) => index.shape(t).length === 4).length;
  },
  colour: '#8c6d31',
};
