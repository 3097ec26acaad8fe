// The package's own version (`--version`, the `tool` field of every JSON document) and files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** A file of the package: its root is one level up from both src and dist (and dist/start.js, the bundle). */
export const packagePath = (...parts: string[]): string => join(__dirname, '..', ...parts);

/** Read once from package.json. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
