// A model file on disk to a Graph: the file and its folder as byte sources for readModel. A
// system refusing to read it (permissions) is an IoError.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { readFailure, UsageError } from '../errors';
import { localFile, localFolder } from '../fs/local-files';
import type { Graph } from './graph/types';
import { readModel } from './read-model';

function sizeOf(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    throw readFailure(`model file ${path}`, error);
  }
  if (!stat.isFile()) throw new UsageError(`${path}: not a file${stat.isDirectory() ? ' (for a TF.js model, give its model.json)' : ''}`);
  return stat.size;
}

/** Reads a model file; the format is told by the content (JSON or protobuf), not the name. */
export function readModelFile(path: string): Graph {
  return readModel(localFile(path, sizeOf(path)), localFolder(dirname(path)));
}
