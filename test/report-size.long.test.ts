// summary.md of a 200-case suite, about 1 MB, renders as GitHub shows it (report.md and the
// rest: report-size.slow; the suite and the check: test/support/report-size.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectRendersWhole, reportBigSuite } from './support/report-size';

const dir = mkdtempSync(join(tmpdir(), 'seprof-report-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 200-case suite', async () => {
  const { run, read } = await reportBigSuite(dir);

  it('summary.md renders as GitHub shows it: one summary table, a table per collapsed section, and what was left out', () => {
    expect(run.code).toBe(0);
    expectRendersWhole(read('summary.md'));
  });
});
