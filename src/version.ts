// The package's own version: `--version`, and the `tool` field of every JSON document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** The package's folder: one level up from both src and dist (and dist/start.js, the bundle). */
export function packageRoot(): string {
  return join(__dirname, '..');
}

/** Read once from package.json. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
