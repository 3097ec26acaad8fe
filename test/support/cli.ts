// Runs the built CLI as a user would: `node bin/seprof ...`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'seprof');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function seprof(args: readonly string[], nodeArgs: readonly string[] = []): Run {
  const result = spawnSync(process.execPath, [...nodeArgs, BIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
