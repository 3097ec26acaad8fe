// mkdir -p. Node 20's recursive mkdirSync loops forever where mkdir answers ENOENT under a
// parent that exists (a path in /proc, say): this walks up the parents itself, so every
// failure ends as the error of the directory that could not be made.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

function madeOrThere(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return true;
    if (code === 'ENOENT' && dirname(dir) !== dir) return false;
    throw error;
  }
}

export function makeDirectories(dir: string): void {
  if (madeOrThere(dir)) return;
  makeDirectories(dirname(dir));
  if (!madeOrThere(dir)) mkdirSync(dir); // the parent is there now: this throws the real reason
}
