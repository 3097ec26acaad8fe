// vitest's global setup: the run's temporary files in one directory of their own, removed when
// the run ends. Tests make dozens of directories (one 99 MB of model files), and the CLI processes
// they start make more (the code cache on Node 20): none is left in the temporary folder. Workers
// and the processes they spawn inherit TMPDIR (TEMP and TMP on Windows), which os.tmpdir() reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'seprof-test-'));
  for (const name of ['TMPDIR', 'TEMP', 'TMP']) process.env[name] = root;
  process.env['SEPROF_TEST_TMPDIR'] = root;
  return () => rmSync(root, { recursive: true, force: true, maxRetries: 3 });
}
