// Model files need their readers and the graph machinery (shape inference, edits, the SE
// search): some 15 modules that blocks and networks never use. They load once, asynchronously,
// before the first file spec is built (the CLI and the library call loadFileSupport when a run
// may name a file); the synchronous derivations reach them here. A FileSpec exists only once
// buildSpec has read its file, so they are always there by then.
import type { FileModel, FileRequest } from './file-model';

let support: typeof import('./file-model') | undefined;

export async function loadFileSupport(): Promise<void> {
  support ??= await import('./file-model.js');
}

export function loadFileModel(request: FileRequest): FileModel {
  if (support === undefined) throw new Error(`${request.file}: model files are not loaded (await loadFileSupport() first)`);
  return support.openFileModel(request);
}
