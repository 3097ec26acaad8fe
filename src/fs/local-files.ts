// Files on disk as byte sources: the CLI's side of byte-source.ts. A slice is read when asked
// for, through a descriptor opened for it, so a weight file is never held whole.
import { readSync, statSync } from 'node:fs';
import type { ByteSource, Folder } from './byte-source';
import { realPathInside } from './inside';
import { withOpenFile } from './read';

/** A regular file of `size` bytes at `path` (the caller has checked it is one). */
export function localFile(path: string, size: number, what = `model file ${path}`): ByteSource {
  return {
    name: path,
    size,
    read(offset, length) {
      return withOpenFile(path, what, (fd) => {
        const bytes = new Uint8Array(length);
        let filled = 0;
        // One read returns at most about 2 GB, and less when the file is shorter.
        for (let got = -1; filled < length && got !== 0; filled += got) got = readSync(fd, bytes, filled, length - filled, offset + filled);
        return bytes.subarray(0, filled);
      });
    },
  };
}

/** The folder at `path`: a name opens only when it resolves, through every link, inside it. */
export function localFolder(path: string): Folder {
  return {
    open(relative) {
      const real = realPathInside(path, relative);
      if (real === 'missing' || real === 'outside') return real;
      const stat = statSync(real);
      return stat.isFile() ? localFile(real, stat.size, `external data ${real}`) : 'not a file';
    },
  };
}
