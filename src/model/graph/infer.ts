// Every tensor's shape, from the input shapes and the graph; the shape arithmetic that
// exporters emit (Shape, Gather, Concat, ... on int64) is folded to constants on the way.
import { UsageError } from '../../errors';
import { resolveInputs } from './inputs';
import { executionOrder } from './order';
import { SHAPE_RULES } from './rules';
import { ShapeProblem, type TensorInfo } from './tensor-info';
import type { Graph, GraphNode } from './types';

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
}

const isDefaultDomain = (node: GraphNode): boolean => node.domain === '';

export function inferShapes(graph: Graph, given: ReadonlyMap<string | undefined, readonly number[]>): InferredGraph {
  const order = executionOrder(graph);
  const { shapes, notes } = resolveInputs(graph, given);
  const tensors = new Map<string, TensorInfo>();
  for (const init of graph.initializers.values()) tensors.set(init.name, init.values === undefined ? { shape: init.dims, dtype: init.dtype } : { shape: init.dims, dtype: init.dtype, values: init.values });
  for (const input of graph.inputs) tensors.set(input.name, { shape: shapes.get(input.name) as number[], dtype: input.dtype });
  const folded = new Set<GraphNode>();
  const unknown: GraphNode[] = [];
  for (const node of order) {
    const inputs = node.inputs.map((name) => (name === '' ? undefined : tensors.get(name)));
    const rule = isDefaultDomain(node) ? SHAPE_RULES.get(node.opType) : undefined;
    let outputs: TensorInfo[];
    if (rule === undefined) {
      const first = inputs.find((i) => i !== undefined);
      if (first === undefined) throw new UsageError(`${graph.source}: node '${node.name}' (${node.opType}) is an op seprof does not know and has no input to take a shape from`);
      unknown.push(node);
      outputs = node.outputs.map(() => ({ shape: first.shape, dtype: first.dtype }));
    } else {
      try {
        outputs = rule({ node, inputs, opset: graph.opset });
      } catch (error) {
        if (!(error instanceof ShapeProblem)) throw error;
        throw new UsageError(`${graph.source}: node '${node.name}' (${node.opType}): ${error.message}`);
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
  if (unknown.length > 0) notes.push(`output shapes of ops seprof does not know are assumed equal to their first input's`);
  return { graph, order, tensors, folded, unknown, inputShapes: shapes, notes };
}
