// Execution order of a graph's nodes (Kahn's algorithm): a cycle, or an input that no
// node, initializer or graph input provides, is refused naming the node.
import { UsageError } from '../../errors';
import type { Graph, GraphNode } from './types';

export function executionOrder(graph: Graph): GraphNode[] {
  const producer = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    for (const out of node.outputs) {
      if (out === '') continue;
      if (producer.has(out) || graph.initializers.has(out)) throw new UsageError(`${graph.source}: tensor '${out}' is written twice (node '${node.name}')`);
      producer.set(out, node);
    }
  }
  const given = new Set([...graph.inputs.map((i) => i.name), ...graph.initializers.keys()]);
  const waiting = new Map<GraphNode, number>();
  const readers = new Map<GraphNode, GraphNode[]>();
  for (const node of graph.nodes) {
    let count = 0;
    for (const input of new Set(node.inputs)) {
      if (input === '' || given.has(input)) continue;
      const from = producer.get(input);
      if (from === undefined) throw new UsageError(`${graph.source}: node '${node.name}' reads '${input}', which no node, initializer or graph input provides`);
      count += 1;
      const list = readers.get(from);
      if (list === undefined) readers.set(from, [node]);
      else list.push(node);
    }
    waiting.set(node, count);
  }
  const ready = graph.nodes.filter((n) => waiting.get(n) === 0);
  const order: GraphNode[] = [];
  for (let i = 0; i < ready.length; i += 1) {
    const node = ready[i] as GraphNode;
    order.push(node);
    for (const reader of readers.get(node) ?? []) {
      const left = (waiting.get(reader) as number) - 1;
      waiting.set(reader, left);
      if (left === 0) ready.push(reader);
    }
  }
  if (order.length < graph.nodes.length) {
    const stuck = graph.nodes.find((n) => (waiting.get(n) ?? 0) > 0) as GraphNode;
    throw new UsageError(`${graph.source}: the graph has a cycle through node '${stuck.name}' (${stuck.opType})`);
  }
  for (const out of graph.outputs) {
    if (!producer.has(out) && !given.has(out)) throw new UsageError(`${graph.source}: graph output '${out}' is produced by no node`);
  }
  return order;
}
