// Runs the built CLI as a user would: `node bin/seprof ...`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/run';

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

/**
 * The CLI in this process: the same argv, streams and exit code as `node bin/seprof`, no spawn.
 * `stdoutColumns`: stdout is a terminal this wide (a forced TTY); otherwise it is piped.
 */
export async function seprofInProcess(args: readonly string[], stdoutColumns?: number): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const outTerminal = stdoutColumns === undefined ? undefined : { columns: stdoutColumns };
  const code = await runCli(args, { out: (text) => (stdout += text), err: (text) => (stderr += text), outTerminal });
  return { code, stdout, stderr };
}

/** A failure of any kind: `code`, nothing on stdout, one `seprof: ...` line on stderr matching `message`, no stack. */
export function expectOneLineFailure(run: Run, code: number, message: RegExp): void {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: '' });
  expect(run.stderr).toMatch(/^seprof: [^\n]*\n$/);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+\)?$/m);
}
