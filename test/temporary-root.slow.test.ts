// `npm test` leaves nothing in the temporary folder: the run's temporary directory, which vitest's
// global setup removes at the end, is where tests and the processes they start make theirs.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';

it("a test's tmpdir(), and that of a process it starts, is the run's own directory", () => {
  const root = process.env['SEPROF_TEST_TMPDIR'];
  expect(root).toMatch(/[\\/]seprof-test-[^\\/]+$/);
  expect(tmpdir()).toBe(root);
  const child = spawnSync(process.execPath, ['-p', "require('node:os').tmpdir()"], { encoding: 'utf8' });
  expect(child.stdout.trim()).toBe(root);
});
