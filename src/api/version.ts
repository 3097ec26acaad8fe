// The package's own version, for the `tool` field of every JSON document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** Read once from package.json, two levels up from both src/api and dist/api. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
