// A model file as seprof profiles it: read, shaped, optionally edited (SE added after named
// nodes, or every SE block removed for the plain twin), with its SE blocks found. Loaded
// once per request: the spec builder validates with it and the derivations reuse it.
import { withSeAfter, withoutSe, type SeOptions } from './graph/edit';
import { inferShapes, type InferredGraph } from './graph/infer';
import { parseInputOption } from './graph/inputs';
import { findSeBlocks, type SeBlock } from './graph/se-blocks';
import type { Graph } from './graph/types';
import { readModelFile } from './model-file';

export interface FileRequest {
  file: string;
  /** `--input` entries, `NAME=1x3x224x224`. */
  inputs: readonly string[];
  /** Nodes to insert SE after (what-if). */
  addSe: readonly string[];
  se: SeOptions;
  /** The model with its SE blocks removed. */
  removeSe: boolean;
}

export interface FileModel {
  inferred: InferredGraph;
  seBlocks: SeBlock[];
}

const graphs = new Map<string, Graph>();
const models = new Map<string, FileModel>();

function graphOf(file: string): Graph {
  const cached = graphs.get(file) ?? readModelFile(file);
  graphs.set(file, cached);
  return cached;
}

export function openFileModel(request: FileRequest): FileModel {
  const key = JSON.stringify(request);
  const cached = models.get(key);
  if (cached !== undefined) return cached;
  const given = parseInputOption(request.inputs);
  let inferred = inferShapes(graphOf(request.file), given);
  if (request.addSe.length > 0) inferred = inferShapes(withSeAfter(inferred, request.addSe, request.se), given);
  let seBlocks = findSeBlocks(inferred);
  if (request.removeSe) {
    inferred = inferShapes(withoutSe(inferred.graph, seBlocks), given);
    seBlocks = [];
  }
  const model = { inferred, seBlocks };
  models.set(key, model);
  return model;
}
