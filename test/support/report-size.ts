// The 200-case suite of the report-size tests (report-size.slow and .long), and how a shortened
// document must render: micromark with its GFM extension, a real GitHub-flavoured renderer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { expect } from 'vitest';
import { seprofInProcess } from './cli';

/** GitHub's limits: characters in a comment, bytes in a step's job summary. */
export const COMMENT_CHARACTERS = 65_536;
export const JOB_SUMMARY_BYTES = 1024 * 1024;

export const NETWORKS = [
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
export function bigSuite(): { name: string; options: Record<string, number | string>; depth?: number }[] {
  const blocks = Array.from({ length: 150 }, (_, i) => ({ name: `se-${16 + i}-r4`, options: { channels: 16 + i, reduction: 4 } }));
  const resnets = Array.from({ length: 40 }, (_, i) => ({
    name: `se-resnet-${64 + 8 * i}`,
    options: { block: 'se-resnet', channels: 64 + 8 * i, planes: 16 },
  }));
  const networks = NETWORKS.map((model) => ({ name: `net-${model}`, options: { model }, ...(model === 'resnet50' && { depth: 1 }) }));
  return [...blocks, ...resnets, ...networks];
}

export const html = (markdown: string): string => micromark(markdown, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
export const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

export const LINK = 'https://github.com/o/r/actions/runs/1';

/** The suite's report set written into `dir` (--depth 3, --link): the run and a reader of its files. */
export async function reportBigSuite(dir: string) {
  const suite = join(dir, 'suite.json');
  writeFileSync(suite, JSON.stringify({ cases: bigSuite() }));
  const out = join(dir, 'out');
  const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure', '--quiet', '--depth', '3', '--link', LINK]);
  return { run, read: (name: string): string => readFileSync(join(out, name), 'utf8') };
}

/** A document of the suite renders as GitHub shows it: one summary table, a table per collapsed section, and what was left out. */
export function expectRendersWhole(md: string): void {
  const cases = bigSuite();
  const link = LINK;
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
}
