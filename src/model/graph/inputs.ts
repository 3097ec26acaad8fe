// The shapes the graph's inputs take: declared in the file, set or overridden by
// `--input NAME=1x3x640x640`; an open batch dimension defaults to 1.
import { UsageError } from '../../errors';
import type { Graph } from './types';

export interface InputShapes {
  shapes: Map<string, number[]>;
  /** What was assumed, for the report header. */
  notes: string[];
}

/** `NAME=1x3x224x224`, or a bare `1x3x224x224` for a graph with one input. */
export function parseInputOption(values: readonly string[]): Map<string | undefined, number[]> {
  const given = new Map<string | undefined, number[]>();
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const name = at < 0 ? undefined : value.slice(0, at);
    const dims = (at < 0 ? value : value.slice(at + 1)).trim().toLowerCase().split('x');
    if (dims.some((d) => !/^\d+$/.test(d) || Number(d) < 1 || !Number.isSafeInteger(Number(d)))) {
      throw new UsageError(`--input takes NAME=1x3x224x224 (whole numbers of at least 1); got '${value}'`);
    }
    if (given.has(name)) throw new UsageError(`--input gives ${name === undefined ? 'the input' : `'${name}'`} twice`);
    given.set(name, dims.map(Number));
  }
  return given;
}

export function resolveInputs(graph: Graph, given: ReadonlyMap<string | undefined, readonly number[]>): InputShapes {
  const names = graph.inputs.map((i) => i.name);
  for (const name of given.keys()) {
    if (name === undefined && names.length !== 1) throw new UsageError(`--input needs NAME=... : the model has ${names.length} inputs (${names.join(', ')})`);
    if (name !== undefined && !names.includes(name))
      throw new UsageError(`--input: the model has no input '${name}' (its inputs: ${names.join(', ') || 'none'})`);
  }
  const notes: string[] = [];
  const shapes = new Map<string, number[]>();
  for (const input of graph.inputs) {
    const set = given.get(input.name) ?? (names.length === 1 ? given.get(undefined) : undefined);
    if (set !== undefined) {
      if (input.shape !== null && input.shape.length !== set.length) {
        throw new UsageError(`--input ${input.name}: the model declares rank ${input.shape.length}, got ${set.length} dimensions`);
      }
      shapes.set(input.name, [...set]);
      continue;
    }
    if (input.shape === null) throw new UsageError(`input '${input.name}' has no declared shape: give it with --input ${input.name}=1x3x224x224`);
    shapes.set(
      input.name,
      input.shape.map((d, axis) => {
        if (typeof d === 'number') return d;
        if (axis === 0) {
          notes.push(`input '${input.name}': open batch dimension${typeof d === 'string' ? ` '${d}'` : ''} set to 1`);
          return 1;
        }
        throw new UsageError(
          `input '${input.name}' has an open dimension ${axis}${typeof d === 'string' ? ` ('${d}')` : ''}: give the shape with --input ${input.name}=${input.shape?.map((x) => (typeof x === 'number' ? x : 'N')).join('x')}`,
        );
      }),
    );
  }
  return { shapes, notes };
}
