// A model file as seprof profiles it: read, shaped, optionally edited (SE added after named
// nodes, or every SE block removed for the plain twin), with its SE blocks found. Loaded
// once per request: the spec builder validates with it and the derivations reuse it.
import { UsageError } from '../errors';
import { withSeAfter, withoutSe, type SeOptions } from './graph/edit';
import { inferShapes, type InferredGraph } from './graph/infer';
import { parseInputOption } from './graph/inputs';
import { nodeGroups } from './graph/node-groups';
import { parseOriginRules, unmatchedRule } from './graph/origins';
import { findSeBlocks, type SeBlock } from './graph/se-blocks';
import type { Graph } from './graph/types';
import { withStandInWeights } from './graph/weights';
import { planNotes } from './kinds/plan';

export interface FileRequest {
  file: string;
  /** `--input` entries, `NAME=1x3x224x224`. */
  inputs: readonly string[];
  /** Nodes to insert SE after (what-if). */
  addSe: readonly string[];
  se: SeOptions;
  /** The model with its SE blocks removed. */
  removeSe: boolean;
  /** `--origin` entries, `LAYER=module|function|method`: who made an op where the scope names mislead. */
  origins: readonly string[];
  /** Weights the file points at but does not hold read as stand-in values (the measured run's). */
  standInWeights: boolean;
}

export interface FileModel {
  inferred: InferredGraph;
  seBlocks: SeBlock[];
}

/** Reads the model a request names: from disk for the CLI (model-file.ts), from the files handed to a page in a browser. */
export type ModelOpener = (file: string) => Graph;

/** What each opener has read, by file name and by request: a page's next files are another opener's. */
const caches = new WeakMap<ModelOpener, { graphs: Map<string, Graph>; models: Map<string, FileModel> }>();

export function openFileModel(request: FileRequest, open: ModelOpener): FileModel {
  const cache = caches.get(open) ?? { graphs: new Map<string, Graph>(), models: new Map<string, FileModel>() };
  caches.set(open, cache);
  const key = JSON.stringify(request);
  const cached = cache.models.get(key);
  if (cached !== undefined) return cached;
  const read = cache.graphs.get(request.file) ?? open(request.file);
  cache.graphs.set(request.file, read);
  const graph = request.standInWeights ? withStandInWeights(read) : read;
  const given = parseInputOption(request.inputs);
  let inferred = inferShapes(graph, given);
  if (request.addSe.length > 0) inferred = inferShapes(withSeAfter(inferred, request.addSe, request.se), given);
  let seBlocks = findSeBlocks(inferred);
  const origins = parseOriginRules(request.origins);
  if (origins.length > 0) {
    // Checked on the model as given: the plain twin has no SE left for a rule to name.
    const unmatched = unmatchedRule(origins, nodeGroups(inferred));
    if (unmatched !== undefined)
      throw new UsageError(
        `--origin '${unmatched.pattern}': the model has no layer or node of that name (a layer name from the table, a node name from the file, * for any characters)`,
      );
  }
  if (request.removeSe) {
    inferred = inferShapes(withoutSe(inferred.graph, seBlocks), given);
    seBlocks = [];
  }
  if (origins.length > 0) inferred = { ...inferred, origins };
  inferred = { ...inferred, notes: [...inferred.notes, ...planNotes(inferred)] };
  const model = { inferred, seBlocks };
  cache.models.set(key, model);
  return model;
}
