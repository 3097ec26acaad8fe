// The hand-written XML: junit.xml and the SVG charts stay well-formed whatever the names hold.
import { describe, expect, it } from 'vitest';
import { profile } from '../src/analyzers/profile';
import { opSplitChart, reductionChart, reportCharts } from '../src/report/report/charts';
import type { CaseResult } from '../src/report/report/document';
import { renderJunit } from '../src/report/report/junit';
import { compactNumber, logTicks } from '../src/report/report/svg';
import { escapeXml } from '../src/report/xml';
import { seSpec } from './support/grid';
import { parseXml, xmlProblem } from './support/xml';

const NASTY = `a<b>&"c'\u0001\u001b[31m`;

async function result(name: string, c: { channels: number; reduction: number; height?: number; width?: number }): Promise<CaseResult> {
  const spec = seSpec({ height: 7, width: 7, batch: 1, bias: false, ...c });
  return { name, profile: await profile(spec, { measure: false, backend: 'auto' }), seconds: 0.001 };
}

describe('escapeXml', () => {
  it('escapes markup and drops the characters XML 1.0 forbids', () => {
    expect(escapeXml(NASTY)).toBe('a&lt;b&gt;&amp;&quot;c&apos;[31m');
  });
});

describe('junit.xml', () => {
  it('reports a failed cross-check as a failure, escaped and well-formed', async () => {
    const failing = await result(NASTY, { channels: 16, reduction: 4 });
    failing.profile.check = { status: 'mismatch', layers: 6, mismatches: [{ layer: 'fc1', quantity: 'params', analytic: '64', measured: '<65>' }] };
    const passing = await result('ok', { channels: 16, reduction: 2 });
    passing.profile.check = { status: 'match', layers: 6, mismatches: [] };
    const text = renderJunit([failing, passing], { suiteName: 'suite&co', date: new Date(0) });
    expect(xmlProblem(text)).toBe('');
    const xml = parseXml(text);
    expect(xml['testsuites']).toMatchObject({ '@tests': '2', '@failures': '1', '@skipped': '0' });
    const [bad, good] = xml['testsuites']['testsuite']['testcase'] as Record<string, any>[];
    expect(bad?.['@name']).toBe('a<b>&"c\'[31m');
    expect(bad?.['@classname']).toBe('seprof.suite&co');
    expect(bad?.['failure']).toMatchObject({ '@type': 'CrossCheckMismatch', '#text': 'fc1 params: analytic 64, measured <65>' });
    expect(good?.['failure']).toBeUndefined();
  });
});

describe('SVG charts', () => {
  it('draw one line per shape that varies r, legends naming what sets the shapes apart', async () => {
    const results = [
      await result('a-2', { channels: 64, reduction: 2 }),
      await result('a-8', { channels: 64, reduction: 8 }),
      await result('b-2', { channels: 128, reduction: 2, height: 14, width: 14 }),
      await result('b-4', { channels: 128, reduction: 4, height: 14, width: 14 }),
      await result(NASTY, { channels: 32, reduction: 4 }), // alone: no line
    ];
    const chart = reductionChart(results, 'macs');
    expect(chart?.title).toBe('Params and MACs (macs) against the reduction ratio r');
    const text = chart?.svg ?? '';
    expect(xmlProblem(text)).toBe('');
    expect(text.match(/<polyline /g)).toHaveLength(4); // 2 shapes x 2 panels
    expect(text).toContain('>channels=64, height=7, width=7</text>');
    expect(text).toContain('>channels=128, height=14, width=14</text>');
    for (const r of ['2', '4', '8']) expect(text).toContain(`text-anchor="middle" fill="#666">${r}</text>`);
  });

  it('draw nothing against r when no two cases differ only in r', async () => {
    const results = [await result('x', { channels: 64, reduction: 2 }), await result('y', { channels: 32, reduction: 4 })];
    expect(reductionChart(results, 'thop')).toBeUndefined();
    expect(reportCharts(results, 'thop').map((c) => c.file)).toEqual(['cost-by-op-kind.svg']);
  });

  it('fall back to a linear axis from 0 when a count is 0, which a log axis cannot show', async () => {
    const results = [await result('a', { channels: 64, reduction: 2 }), await result('b', { channels: 64, reduction: 4 })];
    const text = reductionChart(results, 'fvcore')?.svg ?? '';
    expect(xmlProblem(text)).toBe('');
    expect(text).toContain('>params, log scale</text>');
    // Every convention counts something in SE, so a zero total is made by hand.
    for (const r of results) r.profile.totals.counts['fvcore'] = 0n;
    const zero = reductionChart(results, 'fvcore')?.svg ?? '';
    expect(xmlProblem(zero)).toBe('');
    expect(zero).toContain('>FLOPs (fvcore)</text>');
    expect(zero).not.toContain('FLOPs (fvcore), log scale');
  });

  it('split each case by op kind, escaping names', async () => {
    const text = opSplitChart([await result(NASTY, { channels: 64, reduction: 4 })], 'flops')?.svg ?? '';
    expect(xmlProblem(text)).toBe('');
    expect(parseXml(text)['svg']['title']).toBe("Where the FLOPs go: each case's FLOPs (flops) split by op kind");
    expect(text).toContain('>a&lt;b&gt;&amp;&quot;c&apos;[31m</text>');
  });
});

describe('axis helpers', () => {
  it('picks 1-2-5 log ticks, thinned to decades over a wide range', () => {
    expect(logTicks(13_000, 330_000)).toEqual([20_000, 50_000, 100_000, 200_000]);
    expect(logTicks(3, 3e6)).toEqual([10, 100, 1000, 10_000, 100_000, 1_000_000]);
    expect(logTicks(91_000, 92_000)).toEqual([91_000, 92_000]);
  });

  it('labels numbers in three significant digits', () => {
    expect(compactNumber(65_536)).toBe('65.5K');
    expect(compactNumber(262_144)).toBe('262K');
    expect(compactNumber(1_500_000)).toBe('1.5M');
    expect(compactNumber(4e9)).toBe('4G');
    expect(compactNumber(512)).toBe('512');
  });
});
