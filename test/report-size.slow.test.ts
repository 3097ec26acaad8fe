// report.md and summary.md fit where CI shows them, however large the suite: a pull-request
// comment holds 65,536 characters, a job summary 1 MiB. Rendered by a real GitHub-flavoured
// markdown renderer (micromark with its GFM extension), the shortened documents are still
// tables and collapsed sections, and say what they left out and where the rest is.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { renderReportMarkdown } from '../src/report/report/report-markdown';
import { seprofInProcess } from './support/cli';
import { COMMENT_CHARACTERS, expectRendersWhole, html, JOB_SUMMARY_BYTES, reportBigSuite } from './support/report-size';

const dir = mkdtempSync(join(tmpdir(), 'seprof-report-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 200-case suite', async () => {
  const { run, read } = await reportBigSuite(dir);

  it('runs', () => {
    expect(run.stderr).toMatch(/^Wrote /);
    expect(run.code).toBe(0);
  });

  it('report.md fits a pull-request comment, names the charts and links none', () => {
    const md = read('report.md');
    expect(md.length).toBeLessThan(COMMENT_CHARACTERS);
    expect(Buffer.byteLength(md)).toBeLessThan(COMMENT_CHARACTERS);
    expect(md).not.toMatch(/!\[/);
    expect(md).toContain('`cost-by-op-kind.svg`');
  });

  it('summary.md fits a job summary', () => {
    expect(Buffer.byteLength(read('summary.md'))).toBeLessThan(JOB_SUMMARY_BYTES);
  });

  // summary.md, 1 MB to render: report-size.long.
  it('report.md renders as GitHub shows it: one summary table, a table per collapsed section, and what was left out', () => {
    expectRendersWhole(read('report.md'));
  });

  it('report.md is the one shortened: 200 cases do not fit a comment, and do fit a job summary', () => {
    expect(read('report.md')).toContain('**Shortened to fit:**');
    expect(read('summary.md')).not.toContain('**Shortened to fit:**');
  });

  it("shows each case's layers at --depth, or at the suite case's own depth", () => {
    const summary = read('summary.md');
    const section = (name: string): string => {
      const start = summary.indexOf(`<b>${name}</b>`);
      return summary.slice(start, summary.indexOf('</details>', start));
    };
    // --depth 3: a block of a stage; the case at depth 1: the stages only.
    expect(section('net-se-resnet50')).toContain('`layer1.0.se`');
    expect(section('net-resnet50')).toContain('| `layer1` |');
    expect(section('net-resnet50')).not.toContain('layer1.0');
  });
});

describe('a place smaller than the summary table', () => {
  it('keeps the failed checks, then the costliest rows, in suite order, and says how many it left out', async () => {
    const results = await Promise.all(
      [16, 512, 64, 2048, 32, 1024].map(async (channels) => ({ name: `se-${channels}`, profile: await profile({ channels, reduction: 4 }), seconds: 0 })),
    );
    // One case whose check failed, however cheap: it is kept first.
    const failed = results[0]!;
    failed.profile = {
      ...failed.profile,
      check: { status: 'mismatch', layers: 6, mismatches: [{ layer: 'fc1', quantity: 'params', analytic: '1', measured: '2' }] },
    };
    const meta = { toolVersion: '0', date: new Date(0), suite: 's.json', columns: ['thop'] as const, charts: [], depthOf: () => undefined };
    const whole = renderReportMarkdown(results, meta, { budget: 1_000_000, elsewhere: 'report.json' });
    // The closing line takes about 260 bytes: 150 more than the table leaves no room for all its rows.
    const budget = Buffer.byteLength(whole.slice(0, whole.indexOf('## Cases'))) + 150;
    const md = renderReportMarkdown(results, meta, { budget, elsewhere: 'report.json' });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(budget);
    const rows = [...html(md).matchAll(/<td><code>(se-\d+)<\/code><\/td>/g)].map(([, name]) => name);
    // thop grows with C here (C * (S + 1) + 2 * C * C / 4): the failed case, then the largest C, in suite order.
    const kept = rows.length;
    expect(kept).toBeGreaterThan(1);
    expect(kept).toBeLessThan(results.length);
    const expected = ['se-16', ...['se-2048', 'se-1024', 'se-512', 'se-64', 'se-32'].slice(0, kept - 1)];
    expect(rows).toEqual(results.map((r) => r.name).filter((n) => expected.includes(n)));
    expect(md).toContain(`**Shortened to fit:** ${results.length - kept} of ${results.length} case(s) left out of the summary table`);
    expect(md).toContain('Every case is in report.json, in the report set.');
  });
});

describe('report mistakes', () => {
  const suiteWith = (name: string, extra: object): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ cases: [{ name: 'a', options: { channels: 32 }, ...extra }] }));
    return path;
  };
  it.each([
    ['a suite case depth of 0', () => ['--suite', suiteWith('d0.json', { depth: 0 })], /case 'a': "depth" must be a whole number of at least 1, got 0/],
    ['a suite case depth as text', () => ['--suite', suiteWith('dt.json', { depth: '2' })], /"depth" must be a whole number of at least 1, got "2"/],
    ['--depth 0', () => ['--suite', suiteWith('ok.json', {}), '--depth', '0'], /--depth must be at least 1, got '0'/],
    [
      '--link that is not a web address',
      () => ['--suite', suiteWith('ok2.json', {}), '--link', 'javascript:alert(1)'],
      /--link must be an http or https address/,
    ],
    ['--link that is no address at all', () => ['--suite', suiteWith('ok3.json', {}), '--link', 'runs/1'], /--link must be a web address/],
  ])('%s: one line, exit 2', async (_, args, message) => {
    const run = await seprofInProcess(['report', ...args(), '--out', join(dir, 'never'), '--no-measure']);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
  });
});
