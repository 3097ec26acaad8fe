// The files a user gave the page, as the model readers' byte sources. In a worker a slice of a
// File reads synchronously (FileReaderSync), as the readers expect, and only that slice is read:
// counting reads the model's protobuf, never its external data or weight shards.
import type { ByteSource, Folder } from '../src/fs/byte-source';
import type { Graph } from '../src/model/graph/types';
import { readModel } from '../src/model/read-model';
import type { GivenFile } from './protocol';

declare const FileReaderSync: { new (): { readAsArrayBuffer(blob: Blob): ArrayBuffer } };

function fileSource(name: string, file: File): ByteSource {
  return {
    name,
    size: file.size,
    read: (offset, length) => new Uint8Array(new FileReaderSync().readAsArrayBuffer(file.slice(offset, offset + length))),
  };
}

/** The folder part of a path, with its slash: '' for a file given alone. */
const folderOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);

/** `relative` from `folder` as one path, `a/./b` and `a/x/../b` as `a/b`; the readers refuse names that leave the folder before asking. */
function joined(folder: string, relative: string): string {
  const parts: string[] = [];
  for (const part of `${folder}${relative}`.split(/[\\/]/)) {
    if (part === '..') parts.pop();
    else if (part !== '' && part !== '.') parts.push(part);
  }
  return parts.join('/');
}

/** Reads the model a spec names (one of `files` by its path); its external files are the others, by their paths. */
export function pageOpener(files: readonly GivenFile[]): (path: string) => Graph {
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  return (path) => {
    const file = byPath.get(path);
    if (file === undefined) throw new Error(`${path}: not among the files given`);
    const folder: Folder = {
      open(relative) {
        const beside = byPath.get(joined(folderOf(path), relative));
        return beside === undefined ? 'missing' : fileSource(relative, beside);
      },
    };
    return readModel(fileSource(path, file), folder);
  };
}
