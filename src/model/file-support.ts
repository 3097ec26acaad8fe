// Model files need their readers and the graph machinery (shape inference, edits, the SE
// search): some 15 modules that blocks and networks never use. They load once, asynchronously,
// before the first file spec is built (the CLI and the library call loadFileSupport when a run
// may name a file); the synchronous derivations reach them here. A FileSpec exists only once
// buildSpec has read its file, so they are always there by then.
import type { FileModel, FileRequest, ModelOpener } from './file-model';

let support: typeof import('./file-model') | undefined;
let opener: ModelOpener | undefined;

/** Loads the file machinery; file names are then paths on disk. */
export async function loadFileSupport(): Promise<void> {
  support ??= await import('./file-model.js');
  opener = (await import('./model-file.js')).readModelFile;
}

/** Loads the file machinery with file names read by `open`: a page's files (the browser build has no disk reader). */
export async function loadFileSupportWith(open: ModelOpener): Promise<void> {
  support ??= await import('./file-model.js');
  opener = open;
}

export function loadFileModel(request: FileRequest): FileModel {
  if (support === undefined || opener === undefined) throw new Error(`${request.file}: model files are not loaded (await loadFileSupport() first)`);
  return support.openFileModel(request, opener);
}
