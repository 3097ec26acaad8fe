// seprof compare: exact counts, tolerances, latency only on request, and refusing bad files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareReports, EXACT, parseTolerance, parseTolerances, type CompareOptions } from '../src/report/compare/compare';
import { readReport, REPORT_SCHEMA } from '../src/report/report/document';
import { ROOT, seprof, seprofInProcess } from './support/cli';

/** A report document by hand: counts as the JSON a report holds. */
function doc(
  cases: { name: string; thop?: number | string; params?: number; check?: string; latency?: number | null; channels?: number; seBlocks?: number }[],
): string {
  return JSON.stringify({
    schema: REPORT_SCHEMA,
    schemaVersion: 1,
    tool: { name: 'seprof', version: '0.0.0' },
    date: '2025-01-01T00:00:00.000Z',
    suite: 'suite.json',
    cases: cases.map((c) => ({
      name: c.name,
      spec: { block: 'se', input: { channels: c.channels ?? 512, height: 7, width: 7 }, batch: 1, reduction: 8, bias: false },
      params: c.params ?? 65_536,
      buffers: 0,
      counts: { thop: c.thop ?? 91_136, macs: 65_536 },
      check: { status: c.check ?? 'match', layers: 6, mismatches: [] },
      backend: null,
      latency: c.latency == null ? null : { medianMs: c.latency, p10Ms: 0, p90Ms: 0, minMs: 0, maxMs: 0, runs: 1, warmup: 0 },
      ...(c.seBlocks !== undefined && { seBlocks: c.seBlocks }),
    })),
  });
}

const compare = (base: string, next: string, tolerance = EXACT, latencyTolerance?: string, more: Partial<CompareOptions> = {}) =>
  compareReports(readReport(base, 'base'), readReport(next, 'new'), {
    tolerance,
    latencyTolerance: latencyTolerance === undefined ? undefined : parseTolerance('--latency-tolerance', latencyTolerance),
    ...more,
  });

describe('compareReports', () => {
  it('passes identical counts, whatever the latency did', () => {
    const result = compare(doc([{ name: 'a', latency: 0.2 }]), doc([{ name: 'a', latency: 9.5 }]));
    expect(result.failures).toEqual([]);
    expect(result.deltas.find((d) => d.quantity === 'latency ms')).toMatchObject({ base: '0.200', new: '9.50', status: 'reported', fails: false });
  });

  it('fails on growth of one in a count; a decrease is an improvement, not a failure', () => {
    const up = compare(doc([{ name: 'a' }]), doc([{ name: 'a', thop: 91_137 }]));
    expect(up.failures).toEqual(['a thop 91,136 -> 91,137']);
    expect(up.deltas.find((d) => d.quantity === 'thop')).toMatchObject({ change: '+1', percent: '+0.001%', status: 'increased', fails: true });
    // The 3,713 -> 3,712: one fewer is better, exit 0.
    const down = compare(doc([{ name: 'a', params: 3_713 }]), doc([{ name: 'a', params: 3_712 }]));
    expect(down.failures).toEqual([]);
    expect(down.improvements).toEqual(['a params 3,713 -> 3,712']);
    expect(down.deltas.find((d) => d.quantity === 'params')).toMatchObject({ change: '-1', percent: '-0.03%', status: 'decreased', fails: false });
  });

  it('--fail-on change fails both ways, --fail-on decrease only on a decrease', () => {
    const [base, up, down] = [doc([{ name: 'a', params: 100 }]), doc([{ name: 'a', params: 110 }]), doc([{ name: 'a', params: 90 }])];
    expect(compare(base, down, EXACT, undefined, { failOn: 'change' }).failures).toEqual(['a params 100 -> 90']);
    expect(compare(base, up, EXACT, undefined, { failOn: 'change' }).failures).toEqual(['a params 100 -> 110']);
    expect(compare(base, down, EXACT, undefined, { failOn: 'decrease' }).failures).toEqual(['a params 100 -> 90']);
    const grew = compare(base, up, EXACT, undefined, { failOn: 'decrease' });
    expect([grew.failures, grew.improvements]).toEqual([[], ['a params 100 -> 110']]);
    // Within the tolerance nothing fails either way, whatever --fail-on says.
    expect(compare(base, down, parseTolerance('--tolerance', '10%'), undefined, { failOn: 'change' }).failures).toEqual([]);
  });

  it('takes a tolerance per quantity, in percent, beside the one for the rest', () => {
    // thop +500 of 91,136 is 0.55%; params +1 of 65,536 is 0.0015%.
    const next = doc([{ name: 'a', thop: 91_636, params: 65_537 }]);
    const per = (texts: string[]) => {
      const { tolerance, quantityTolerances } = parseTolerances('--tolerance', texts);
      return compare(doc([{ name: 'a' }]), next, tolerance, undefined, { quantityTolerances }).failures;
    };
    expect(per(['thop=1%'])).toEqual(['a params 65,536 -> 65,537']);
    expect(per(['thop=1%,params=0.01%'])).toEqual([]);
    expect(per(['1%', 'params=0'])).toEqual(['a params 65,536 -> 65,537']);
    expect(per(['thop=0.5%', '1%'])).toEqual(['a thop 91,136 -> 91,636']);
    expect(() => parseTolerances('--tolerance', ['latency=1%'])).toThrow(/--tolerance: unknown quantity 'latency'; one of params, buffers, thop, /);
    expect(() => parseTolerances('--tolerance', ['thop=lots'])).toThrow(/--tolerance thop must be a fraction/);
  });

  it('says in one sentence per case what changed', () => {
    const base = doc([{ name: 'a', seBlocks: 0, params: 65_024, thop: 91_000 }, { name: 'b' }, { name: 'same' }]);
    const next = doc([{ name: 'a', seBlocks: 1, params: 65_536, thop: 91_273 }, { name: 'b', channels: 256, params: 16_384 }, { name: 'same' }]);
    const { summaries } = compare(base, next);
    // 91,273 / 91,000 - 1 = 0.3%; 16,384 - 65,536 = -49,152; the spec's channels 512 -> 256.
    expect(summaries).toEqual([
      { case: 'a', text: 'SE blocks 0 → 1, +512 params, +0.30% thop', fails: true },
      { case: 'b', text: 'input.channels 512 → 256, -49,152 params', fails: true },
    ]);
    // Reports written before seBlocks existed say nothing of SE blocks.
    expect(compare(doc([{ name: 'a', params: 1 }]), doc([{ name: 'a', params: 2, seBlocks: 1 }])).summaries[0]?.text).toBe('+1 params');
  });

  it('refuses a latency tolerance when no case has a latency on both sides (a baseline records none)', () => {
    const [timed, untimed] = [doc([{ name: 'a', latency: 1 }]), doc([{ name: 'a' }])];
    expect(() => compare(untimed, timed, EXACT, '0.5')).toThrow(
      /^latency tolerance 0\.5 would check nothing: base records none \(a seprof baseline file never does\); compare two reports made with --latency, or drop the latency tolerance$/,
    );
    expect(() => compare(untimed, untimed, EXACT, '0.5')).toThrow(/base and new record none/);
    // Some cases timed on both sides: checked, and the verdict says how many.
    const partly = compare(
      doc([{ name: 'a', latency: 1 }, { name: 'b' }]),
      doc([
        { name: 'a', latency: 1 },
        { name: 'b', latency: 1 },
      ]),
      EXACT,
      '0.5',
    );
    expect(partly.latencyCompared).toBe(1);
  });

  it('allows a relative change within --tolerance, exactly at the edge', () => {
    // 1% of 91,136 is 911.36: +911 is inside, +912 outside.
    expect(compare(doc([{ name: 'a' }]), doc([{ name: 'a', thop: 91_136 + 911 }]), parseTolerance('--tolerance', '0.01')).failures).toEqual([]);
    expect(compare(doc([{ name: 'a' }]), doc([{ name: 'a', thop: 91_136 + 912 }]), parseTolerance('--tolerance', '1%')).failures).toHaveLength(1);
    expect(
      compare(doc([{ name: 'a' }]), doc([{ name: 'a', thop: 91_136 + 911 }]), parseTolerance('--tolerance', '1%')).deltas.find((d) => d.quantity === 'thop')
        ?.status,
    ).toBe('within tolerance');
  });

  it('compares counts beyond 2^53 exactly', () => {
    const big = '9007199254740993';
    expect(compare(doc([{ name: 'a', thop: big }]), doc([{ name: 'a', thop: big }])).failures).toEqual([]);
    expect(compare(doc([{ name: 'a', thop: '9007199254740992' }]), doc([{ name: 'a', thop: big }])).failures).toEqual([
      'a thop 9,007,199,254,740,992 -> 9,007,199,254,740,993',
    ]);
  });

  it('fails on latency only with a latency tolerance, and only when slower', () => {
    const [base, slow, fast] = [doc([{ name: 'a', latency: 1 }]), doc([{ name: 'a', latency: 1.6 }]), doc([{ name: 'a', latency: 0.2 }])];
    expect(compare(base, slow).failures).toEqual([]);
    expect(compare(base, slow, EXACT, '0.5').failures).toEqual(['a latency ms 1.00 -> 1.60']);
    expect(compare(base, doc([{ name: 'a', latency: 1.4 }]), EXACT, '50%').failures).toEqual([]);
    expect(compare(base, fast, EXACT, '0.5').failures).toEqual([]);
  });

  it('lists added and removed cases; a removed case fails, an added one does not', () => {
    const result = compare(doc([{ name: 'a' }, { name: 'b' }]), doc([{ name: 'a' }, { name: 'c' }]));
    expect(result).toMatchObject({ compared: 1, added: ['c'], removed: ['b'], failures: ['b removed'] });
    expect(compare(doc([{ name: 'a' }]), doc([{ name: 'a' }, { name: 'c' }])).failures).toEqual([]);
  });

  it('fails when a spec changed under the same name, or the cross-check now fails', () => {
    expect(compare(doc([{ name: 'a' }]), doc([{ name: 'a', channels: 256 }])).failures[0]).toMatch(/^a spec /);
    expect(compare(doc([{ name: 'a' }]), doc([{ name: 'a', check: 'mismatch' }])).failures).toEqual(['a check match -> mismatch']);
    // A baseline made with --no-measure against a measured run is no change.
    expect(compare(doc([{ name: 'a', check: 'skipped' }]), doc([{ name: 'a' }])).deltas.filter((d) => d.status !== 'same')).toEqual([]);
  });
});

describe('reading a report', () => {
  it.each([
    ['truncated', doc([{ name: 'a' }]).slice(0, 120), /^x\.json: not valid JSON at line \d+:\d+: .* \(truncated or corrupt\?\)$/],
    ['empty', '', /not valid JSON/],
    ['a profile, not a report', JSON.stringify({ schemaVersion: 1, totals: {} }), /not a seprof report: expected "schema": "seprof-report"/],
    ['foreign', JSON.stringify({ name: 'other-tool', cases: [] }), /not a seprof report/],
    ['a newer schema', doc([{ name: 'a' }]).replace('"schemaVersion":1', '"schemaVersion":2'), /report schema version 2, but this seprof reads version 1/],
    ['no cases', JSON.stringify({ schema: REPORT_SCHEMA, schemaVersion: 1 }), /has no "cases" array/],
    ['a fractional count', doc([{ name: 'a', thop: 1.5 }]), /case 'a': thop is not an exact integer: 1.5/],
    ['an unsafe number', doc([{ name: 'a' }]).replace('"thop":91136', '"thop":9007199254740993'), /thop is not an exact integer/],
    ['a count as words', doc([{ name: 'a', thop: '91K' }]), /thop is not an exact integer: "91K"/],
    ['a duplicate case', doc([{ name: 'a' }, { name: 'a' }]), /case 'a' appears twice/],
    ['a negative count', doc([{ name: 'a', thop: -2048 }]), /case 'a': thop is -2048: a count is never negative/],
    ['a negative count past 2^53', doc([{ name: 'a', thop: '-90071992547409930' }]), /case 'a': thop is -90071992547409930: a count is never negative/],
  ])('rejects %s', (_, text, message) => {
    expect(() => readReport(text, 'x.json')).toThrow(message);
  });
});

describe('seprof compare', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seprof-compare-'));
  const baseline = join(ROOT, 'reports/baseline.json');
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('accepts the shipped suite measured now against the committed baseline (acceptance)', async () => {
    const out = join(dir, 'r');
    const report = await seprofInProcess(['report', '--suite', 'reports/suite.json', '--out', out, '--quiet']);
    expect(report.stderr).toMatch(/^Wrote [^\n]+\n$/);
    expect(report.code).toBe(0);
    const run = await seprofInProcess(['compare', baseline, join(out, 'report.json')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const cases = (JSON.parse(readFileSync(join(ROOT, 'reports/suite.json'), 'utf8')) as { cases: unknown[] }).cases.length;
    expect(run.stdout).toMatch(
      new RegExp(`^OK: ${cases} case\\(s\\) compared \\(counts exact, failing on growth, latency not checked\\); nothing moved beyond the thresholds$`, 'm'),
    );
  });

  it('exits 1 when one count in a copy of the baseline is edited, naming the case and quantity (acceptance)', () => {
    const edited = JSON.parse(readFileSync(baseline, 'utf8')) as { cases: { name: string; counts: Record<string, number> }[] };
    const target = edited.cases[2];
    if (target === undefined) throw new Error('the baseline has fewer than 3 cases');
    target.counts['fvcore'] = (target.counts['fvcore'] ?? 0) - 7;
    const run = seprof(['compare', write('edited.json', JSON.stringify(edited)), baseline], ['--require', join(ROOT, 'test/support/loaded-modules.cjs')]);
    expect(run.code).toBe(1);
    const row = run.stdout.split('\n').find((l) => l.includes(target.name) && l.includes('fvcore'));
    expect(row).toMatch(new RegExp(`│ ${target.name}\\s+│ fvcore\\s+│.*│\\s+\\+7 │.*│ INCREASED\\s+│`));
    expect(run.stderr).toBe(
      `seprof: 1 regression(s): ${target.name} fvcore ${(target.counts['fvcore'] ?? 0).toLocaleString('en-US')} -> ${((target.counts['fvcore'] ?? 0) + 7).toLocaleString('en-US')}\ntfjs-modules-loaded=0\n`,
    );
  });

  it('writes markdown and JSON', async () => {
    const base = write('base.json', doc([{ name: 'a' }, { name: 'gone' }]));
    const next = write('new.json', doc([{ name: 'a', thop: 91_000 }, { name: 'fresh' }]));
    const md = await seprofInProcess(['compare', base, next, '--format', 'markdown', '--fail-on', 'change']);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('| a | thop | 91,136 | 91,000 | -136 | -0.15% | DECREASED |');
    expect(md.stdout).toContain('- `a`: -0.15% thop\n');
    expect(md.stdout).toContain('- Added (not in the base, not compared): `fresh`');
    expect(md.stdout).toContain('- Removed (in the base only): `gone`');
    const json = await seprofInProcess(['compare', base, next, '--json', '--tolerance', '1%,params=0']);
    const result = JSON.parse(json.stdout) as Record<string, any>;
    expect(result).toMatchObject({
      failed: true,
      compared: 1,
      added: ['fresh'],
      removed: ['gone'],
      tolerance: 0.01,
      quantityTolerances: { params: 0 },
      failOn: 'increase',
      latencyTolerance: null,
    });
    expect(result['failures']).toEqual(['gone removed']);
    // Numbers as JSON numbers, not "91,136" or "-0.15%".
    expect(result['deltas'].find((d: { quantity: string }) => d.quantity === 'thop')).toEqual({
      case: 'a',
      quantity: 'thop',
      base: 91_136,
      new: 91_000,
      change: -136,
      percent: -0.15,
      status: 'within tolerance',
      fails: false,
    });
    const junit = join(dir, 'compare.xml');
    const improved = JSON.parse((await seprofInProcess(['compare', base, next, '--json', '--junit', junit])).stdout) as Record<string, any>;
    // The JUnit file's system-out: the verdict, then each case's sentence (the line break a character reference: no name starts a line of the file).
    expect(readFileSync(junit, 'utf8')).toMatch(/<system-out>FAILED: [^<]*; 1 regression\(s\), 1 improvement\(s\)&#10;a: -0\.15% thop<\/system-out>/);
    expect(improved).toMatchObject({ improvements: ['a thop 91,136 -> 91,000'], summaries: [{ case: 'a', text: '-0.15% thop', fails: false }] });
  });

  it('passes a change inside --tolerance', async () => {
    const base = write('t-base.json', doc([{ name: 'a' }]));
    const next = write('t-new.json', doc([{ name: 'a', thop: 91_500 }]));
    expect((await seprofInProcess(['compare', base, next, '--tolerance', '0.01'])).code).toBe(0);
    expect((await seprofInProcess(['compare', base, next, '--tolerance', '0.001'])).code).toBe(1);
  });

  it.each([
    [
      'truncated',
      () => [write('trunc.json', readFileSync(baseline, 'utf8').slice(0, 2000)), baseline],
      /trunc\.json: not valid JSON at line \d+:\d+: .* \(truncated or corrupt\?\)\n$/,
    ],
    [
      'malformed',
      () => [baseline, write('bad.json', '{"schema": "seprof-report", "schemaVersion": 1, "cases": [{"name": 3}]}')],
      /bad\.json: case 1: has no name/,
    ],
    ['foreign', () => [write('foreign.json', '{"$schema": "https://json.schemastore.org/package"}'), baseline], /foreign\.json: not a seprof report/],
    ['missing', () => [join(dir, 'nope.json'), baseline], /cannot read .*nope\.json: no such file or directory \(ENOENT\)/],
    ['one file only', () => [baseline], /missing required argument 'new'/],
    [
      'a bad tolerance',
      () => [baseline, baseline, '--tolerance', 'lots'],
      /--tolerance must be a fraction such as 0\.01 or a percentage such as 1%, got 'lots'/,
    ],
    ['a bad format', () => [baseline, baseline, '--format', 'csv'], /--format must be one of table, markdown, json/],
    ['a bad --fail-on', () => [baseline, baseline, '--fail-on', 'growth'], /--fail-on must be one of increase, decrease, change, got 'growth'/],
    ['an unknown quantity', () => [baseline, baseline, '--tolerance', 'flops=1%,param=0'], /--tolerance: unknown quantity 'param'/],
    [
      'a latency tolerance against a baseline',
      () => [baseline, baseline, '--latency-tolerance', '50%'],
      /latency tolerance 50% would check nothing: .*baseline\.json and .*baseline\.json record none/,
    ],
  ])('%s: one line, exit 2, nothing on stdout', async (_, args, message) => {
    const run = await seprofInProcess(['compare', ...args()]);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^seprof: /);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});
