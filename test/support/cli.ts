// Runs the built CLI as a user would: `node bin/seprof ...`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

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

/** A user mistake: exit 2, nothing on stdout, one `seprof: ...` line on stderr matching `message`. */
export function expectUsageError(run: Run, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^seprof: /);
}
