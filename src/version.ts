// The package's own version: `--version`, and the `tool` field of every JSON document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** Read once from package.json, one level up from both src and dist. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
