// Every tensor's shape, from the input shapes and the graph; the shape arithmetic that
// exporters emit (Shape, Gather, Concat, ... on int64) is folded to constants on the way.
import { UsageError } from '../../errors';
import { resolveInputs } from './inputs';
import type { OriginRule } from './origins';
import { executionOrder } from './order';
import { SHAPE_RULES } from './rules';
import { arityOf, misTypedAttribute } from './rules/arity';
import { count, fail, ShapeProblem, type TensorInfo } from './tensor-info';
import { type Graph, type GraphNode, own } from './types';

export interface InferredGraph {
  graph: Graph;
  /** Nodes in execution order. */
  order: readonly GraphNode[];
  tensors: ReadonlyMap<string, TensorInfo>;
  /** Nodes whose outputs are all constants: shape arithmetic, folded away, no cost. */
  folded: ReadonlySet<GraphNode>;
  /** Nodes seprof has no rule for: their output is assumed to have their first input's shape. */
  unknown: readonly GraphNode[];
  inputShapes: ReadonlyMap<string, readonly number[]>;
  notes: readonly string[];
  /** `--origin` entries: which layers a module or a function made, where the scope names mislead (model/graph/origins). */
  origins?: readonly OriginRule[];
}

const isDefaultDomain = (node: GraphNode): boolean => node.domain === '';

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
const range = ([min, max]: readonly [number, number]): string =>
  min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `${min} or more` : `${min} to ${max}`;

/** Inputs that are the op's weights: counted as parameters, so never computed from the graph's input. */
const WEIGHT_SLOTS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  BatchNormalization: [1, 2, 3, 4],
  InstanceNormalization: [1, 2],
};

function checkWeights(node: GraphNode, fromData: ReadonlySet<string>): void {
  for (const slot of own(WEIGHT_SLOTS, node.opType) ?? []) {
    const t = node.inputs[slot] ?? '';
    if (fromData.has(t)) fail(`input ${slot} '${t}' is computed from the graph's input: seprof reads ${node.opType} with weights (initializers)`);
  }
}

function checkArity(node: GraphNode): void {
  const { inputs, outputs } = arityOf(node.opType);
  const [nIn, nOut] = [node.inputs.length, node.outputs.length];
  if (nIn < inputs[0] || nIn > inputs[1]) fail(`has ${plural(nIn, 'input')}; ${node.opType} takes ${range(inputs)}`);
  if (nOut < outputs[0] || nOut > outputs[1]) fail(`has ${plural(nOut, 'output')}; ${node.opType} gives ${range(outputs)}`);
  const attr = misTypedAttribute(node.attrs);
  if (attr !== undefined) fail(`attribute '${attr.name}' is of type ${attr.kind}; ONNX's is ${attr.expected}`);
}

export function inferShapes(graph: Graph, given: ReadonlyMap<string | undefined, readonly number[]>): InferredGraph {
  const order = executionOrder(graph);
  const { shapes, notes } = resolveInputs(graph, given);
  const tensors = new Map<string, TensorInfo>();
  for (const init of graph.initializers.values())
    tensors.set(init.name, init.values === undefined ? { shape: init.dims, dtype: init.dtype } : { shape: init.dims, dtype: init.dtype, values: init.values });
  for (const input of graph.inputs) tensors.set(input.name, { shape: shapes.get(input.name) as number[], dtype: input.dtype });
  const folded = new Set<GraphNode>();
  const unknown: GraphNode[] = [];
  // Tensors that depend on the graph's input, as opposed to weights and constants.
  const fromData = new Set(graph.inputs.map((i) => i.name));
  for (const node of order) {
    if (node.inputs.some((t) => fromData.has(t))) for (const out of node.outputs) fromData.add(out);
    const inputs = node.inputs.map((name) => (name === '' ? undefined : tensors.get(name)));
    const rule = isDefaultDomain(node) ? SHAPE_RULES.get(node.opType) : undefined;
    let outputs: TensorInfo[];
    if (rule === undefined) {
      const first = inputs.find((i) => i !== undefined);
      if (first === undefined)
        throw new UsageError(`${graph.source}: node '${node.name}' (${node.opType}) is an op seprof does not know and has no input to take a shape from`);
      unknown.push(node);
      outputs = node.outputs.map(() => ({ shape: first.shape, dtype: first.dtype }));
    } else {
      try {
        checkArity(node);
        checkWeights(node, fromData);
        outputs = rule({ node, inputs, opset: graph.opset });
        outputs.forEach((o, i) => {
          // An empty activation has no cost to count and no kernel that runs it; folded constants (shape vectors) may be empty.
          if (o.values === undefined && count(o.shape) === 0n) fail(`output '${node.outputs[i]}' [${o.shape.join(', ')}] has no elements`);
        });
      } catch (error) {
        if (!(error instanceof ShapeProblem)) throw error;
        const cause = unknownAncestor(node, tensors, graph, new Set(unknown));
        const traced =
          cause === undefined
            ? ''
            : ` (traced to node '${cause.name}' (${cause.opType}), an op seprof has no shape rule for: its output's shape was assumed and its values are unknown)`;
        throw new UsageError(`${graph.source}: node '${node.name}' (${node.opType}): ${error.message}${traced}`);
      }
    }
    node.outputs.forEach((name, i) => {
      const info = outputs[i];
      if (name !== '' && info !== undefined) tensors.set(name, info);
    });
    // A Constant is folded at any size: its values too large to hold are read when the measured run needs them.
    const constant = rule !== undefined && (node.opType === 'Constant' || (outputs.length > 0 && outputs.every((o) => o.values !== undefined)));
    if (constant) folded.add(node);
  }
  const constant = graph.outputs.find((t) => !fromData.has(t));
  if (constant !== undefined)
    throw new UsageError(
      `${graph.source}: graph output '${constant}' does not depend on the graph's input: seprof profiles what a model computes from its input`,
    );
  if (unknown.length > 0) notes.push(`output shapes of ops seprof does not know are assumed equal to their first input's`);
  return { graph, order, tensors, folded, unknown, inputShapes: shapes, notes };
}

/**
 * The op without a shape rule a failing node's unknown values come from, if any: a refusal names
 * the node that caused it (a Mod seprof could not fold), not only the innocent reader (a Pad).
 */
function unknownAncestor(node: GraphNode, tensors: ReadonlyMap<string, TensorInfo>, graph: Graph, unknown: ReadonlySet<GraphNode>): GraphNode | undefined {
  const producers = new Map(graph.nodes.flatMap((n) => n.outputs.map((o) => [o, n] as const)));
  const seen = new Set<GraphNode>();
  const walk = (n: GraphNode): GraphNode | undefined => {
    for (const input of n.inputs) {
      const producer = producers.get(input);
      if (producer === undefined || seen.has(producer) || tensors.get(input)?.values !== undefined) continue;
      seen.add(producer);
      if (unknown.has(producer)) return producer;
      const found = walk(producer);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(node);
}
