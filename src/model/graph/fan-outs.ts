// The activations of a model file whose gradients a training step sums, read from the steps the
// graph executor runs: autograd adds one gradient per reader of a tensor, and a view that
// computes (a reshape, a slice, a layout transpose) reads its input as a module does. An alias
// view (Identity, ...) hands its tensor on: its readers read that tensor.
import type { InferredGraph } from './infer';
import { GraphIndex } from './graph-index';
import { activationOf, ALIAS_VIEWS, schedule } from './schedule';

export interface GraphFanOut {
  /** The module that produced the tensor (`input` for a graph input), and the view when one did. */
  tensor: string;
  /** Modules and views that read it, in schedule order; `(output)` when the loss reads it too. */
  readers: string[];
  /** NCHW. */
  shape: readonly number[];
}

/** The loss, which reads every graph output: the sum of the outputs. */
const LOSS = '(output)';

export function graphFanOuts(g: InferredGraph): GraphFanOut[] {
  const index = GraphIndex.of(g);
  const activation = activationOf(g, index);
  const inputs = g.graph.inputs.map((i) => i.name);
  // Each tensor's data (an alias view's output is its input's) and what that data is called.
  const dataOf = new Map(inputs.map((t) => [t, t]));
  const label = new Map(inputs.map((t) => [t, inputs.length === 1 ? 'input' : t]));
  const readers = new Map<string, string[]>();
  /** `again`: a further slot of the same one-node module (Concat(x, x)), a gradient of its own. */
  const read = (t: string, reader: string, again = false): void => {
    const data = dataOf.get(t);
    if (data === undefined) return;
    const list = readers.get(data) ?? [];
    if (again || !list.includes(reader)) list.push(reader);
    readers.set(data, list);
  };
  for (const step of schedule(g)) {
    if ('view' in step) {
      const { view } = step;
      const [source = ''] = view.inputs;
      if (ALIAS_VIEWS.has(view.opType)) {
        const data = dataOf.get(source);
        if (data !== undefined) for (const out of view.outputs) dataOf.set(out, data);
        continue;
      }
      read(source, `${view.opType} ${view.name}`);
      const from = label.get(dataOf.get(source) ?? '') ?? source;
      for (const out of view.outputs.filter(activation)) {
        dataOf.set(out, out);
        label.set(out, `${from} (${view.opType} ${view.name})`);
      }
      continue;
    }
    const { module: m } = step;
    const inner = new Set(m.nodes.flatMap((n) => n.outputs));
    const slots = m.nodes.flatMap((n) => n.inputs).filter((t) => activation(t) && !inner.has(t));
    const seen = new Set<string>();
    for (const t of slots) {
      read(t, m.name, m.repeatedReads > 0 && seen.has(t));
      seen.add(t);
    }
    dataOf.set(m.output, m.output);
    label.set(m.output, m.name);
  }
  for (const t of g.graph.outputs) read(t, LOSS);
  return (
    [...readers]
      // A tensor no graph input reaches (Swin's attention mask) gets no gradient to sum.
      .filter(([data, list]) => list.length > 1 && index.trained(data))
      .map(([data, list]) => ({ tensor: label.get(data) ?? data, readers: list, shape: index.shape(data) }))
  );
}
