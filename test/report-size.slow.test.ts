// report.md and summary.md fit where CI shows them, however large the suite: a pull-request
// comment holds 65,536 characters, a job summary 1 MiB. Rendered by a real GitHub-flavoured
// markdown renderer (micromark with its GFM extension), the shortened documents are still
// tables and collapsed sections, and say what they left out and where the rest is.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { renderReportMarkdown } from '../src/report/report/report-markdown';
import { seprofInProcess } from './support/cli';

const dir = mkdtempSync(join(tmpdir(), 'seprof-report-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** GitHub's limits: characters in a comment, bytes in a step's job summary. */
const COMMENT_CHARACTERS = 65_536;
const JOB_SUMMARY_BYTES = 1024 * 1024;

const NETWORKS = [
  'se-resnet50',
  'resnet50',
  'se-resnet101',
  'se-resnet152',
  'efficientnet_b0',
  'mobilenet_v3_small',
  'mobilenet_v3_large',
  'senet154',
  'se-bn-inception',
  'regnet_y_400mf',
];

/** 200 cases: 150 SE blocks, 40 SE-ResNet blocks, 10 whole networks (the largest sections). */
function bigSuite(): { name: string; options: Record<string, number | string>; depth?: number }[] {
  const blocks = Array.from({ length: 150 }, (_, i) => ({ name: `se-${16 + i}-r4`, options: { channels: 16 + i, reduction: 4 } }));
  const resnets = Array.from({ length: 40 }, (_, i) => ({
    name: `se-resnet-${64 + 8 * i}`,
    options: { block: 'se-resnet', channels: 64 + 8 * i, planes: 16 },
  }));
  const networks = NETWORKS.map((model) => ({ name: `net-${model}`, options: { model }, ...(model === 'resnet50' && { depth: 1 }) }));
  return [...blocks, ...resnets, ...networks];
}

const html = (markdown: string): string => micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

describe('a 200-case suite', async () => {
  const suite = join(dir, 'suite.json');
  const cases = bigSuite();
  writeFileSync(suite, JSON.stringify({ cases }));
  const out = join(dir, 'out');
  const link = 'https://github.com/o/r/actions/runs/1';
  const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure', '--quiet', '--depth', '3', '--link', link]);
  const read = (name: string): string => readFileSync(join(out, name), 'utf8');

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

  it.each(['report.md', 'summary.md'])('%s renders as GitHub shows it: one summary table, a table per collapsed section, and what was left out', (file) => {
    const md = read(file);
    const page = html(md);
    const sections = count(page, /<details[ >]/g);
    expect(count(page, /<\/details>/g)).toBe(sections);
    // Every section's layer table, and SE's overhead for those that have a plain twin, rendered as tables.
    const overheads = count(md, /^#### SE overhead/gm);
    expect(count(page, /<table>/g)).toBe(1 + sections + overheads);
    // No table fell apart into a paragraph of pipes.
    expect(page).not.toMatch(/<p>\|/);
    const summaryRows = count(page.slice(0, page.indexOf('</table>')), /<tr>/g) - 1;
    const shortened =
      /\*\*Shortened to fit:\*\* (?:(\d+) of 200 case\(s\) left out of the summary table[^;.]*)?(?:; )?(?:(\d+) layer table\(s\) left out)?\. Every case is in [^,]+, in \[the full report set\]\(([^)]+)\)/.exec(
        md,
      );
    if (summaryRows === cases.length && sections === cases.length) {
      expect(shortened).toBeNull();
      expect(md).toContain(`The charts and every file: [the full report set](${link}).`);
    } else {
      expect(shortened).not.toBeNull();
      expect(Number(shortened?.[1] ?? 0)).toBe(cases.length - summaryRows);
      expect(Number(shortened?.[2] ?? 0)).toBe(cases.length - sections);
      expect(shortened?.[3]).toBe(link);
      expect(page).toContain(`<a href="${link}">the full report set</a>`);
    }
    // The summary keeps the costliest cases: every network costs more than any block here.
    for (const model of NETWORKS) expect(page.slice(0, page.indexOf('</table>'))).toContain(`<code>net-${model}</code>`);
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
