// A file a model names beside itself (ONNX external data, TF.js weight shards) must be inside
// the model's folder. Checking the name (no `..`, not absolute) is not enough: a link in the
// folder (`w.data -> /etc/passwd`, or a linked directory) leads anywhere. The real paths decide.
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/**
 * The real path of `file` (relative to `folder`), when it exists and resolves, through every
 * link, inside the real `folder`; 'missing' when it does not exist; 'outside' when it leads out.
 */
export function realPathInside(folder: string, file: string): string | 'missing' | 'outside' {
  let real: string;
  try {
    real = realpathSync(resolve(folder, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
  const root = realpathSync(folder);
  // The folder itself is inside (the caller finds it is no file).
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep) ? real : 'outside';
}
