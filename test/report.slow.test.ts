// seprof report end to end on a tiny suite, the files it writes, and every user mistake.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, seprof, seprofInProcess } from './support/cli';
import { parseXml, xmlProblem } from './support/xml';

const dir = mkdtempSync(join(tmpdir(), 'seprof-report-'));
const suite = join(dir, 'tiny.json');
writeFileSync(
  suite,
  JSON.stringify({
    cases: [
      { name: 'se-64-r4', options: { channels: 64, reduction: 4, height: 5, width: 6 } },
      { name: 'se-64-r16', options: { channels: 64, reduction: 16, height: 5, width: 6 } },
      { name: 'se-<48>&"bias"', options: { channels: 48, reduction: 3, height: 2, width: 2, batch: 2, bias: true } },
    ],
  }),
);

/** SEAttention's closed forms (docs/conventions.md). */
function se(C: number, r: number, S: number, B = 1, bias = false): { params: number; thop: number; fvcore: number; macs: number } {
  const m = Math.floor(C / r);
  return {
    params: 2 * C * m + (bias ? m + C : 0),
    thop: B * C * (S + 1) + 2 * B * C * m,
    fvcore: B * C * S + 2 * B * C * m,
    macs: 2 * B * C * m,
  };
}

const expected = {
  'se-64-r4': se(64, 4, 30),
  'se-64-r16': se(64, 16, 30),
  'se-<48>&"bias"': se(48, 3, 4, 2, true),
};

describe('seprof report on a tiny suite, measured', async () => {
  const out = join(dir, 'out');
  const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--quiet']);
  const read = (name: string): string => readFileSync(join(out, name), 'utf8');

  it('exits 0, prints the summary table, and says on stderr what it wrote', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ se-64-r4\s+│\s+2,048 │/);
    expect(run.stdout).toContain('Check: analytic and measured agree on every layer of 3 of 3 case(s)');
    expect(run.stderr).toMatch(
      /^Wrote params-macs-vs-reduction\.svg, cost-by-op-kind\.svg, report\.md, summary\.md, junit\.xml, report\.json to .* \(3 cases profiled in [\d.]+ s\)\n$/,
    );
  });

  it('leaves exactly its files and their marker, no temporaries', () => {
    expect(readdirSync(out).sort()).toEqual([
      '.seprof-set.json',
      'cost-by-op-kind.svg',
      'junit.xml',
      'params-macs-vs-reduction.svg',
      'report.json',
      'report.md',
      'summary.md',
    ]);
  });

  it('writes report.json: versioned, exact counts per convention, check, backend, no timing unless asked', () => {
    const doc = JSON.parse(read('report.json')) as Record<string, any>;
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(doc).toMatchObject({ schema: 'seprof-report', schemaVersion: 1, tool: { name: 'seprof', version }, suite });
    expect(Number.isNaN(Date.parse(doc['date']))).toBe(false);
    expect(doc['cases'].map((c: any) => c.name)).toEqual(Object.keys(expected));
    for (const c of doc['cases']) {
      const want = expected[c.name as keyof typeof expected];
      expect({ params: c.params, thop: c.counts.thop, fvcore: c.counts.fvcore, macs: c.counts.macs }).toEqual(want);
      expect(c.buffers).toBe(0);
      expect(c.check).toMatchObject({ status: 'match', mismatches: [] });
      expect(c.backend.name).toMatch(/wasm|tensorflow|cpu/);
      expect(c.latency).toBeNull();
    }
    expect(doc['cases'][2].spec).toMatchObject({ block: 'se', batch: 2, bias: true, reduction: 3, input: { channels: 48, height: 2, width: 2 } });
  });

  it('writes junit.xml: well-formed, escaped, one passing test case per suite case', () => {
    const text = read('junit.xml');
    expect(xmlProblem(text)).toBe('');
    const xml = parseXml(text);
    expect(xml['testsuites']).toMatchObject({ '@tests': '3', '@failures': '0', '@errors': '0', '@skipped': '0' });
    const cases = xml['testsuites']['testsuite']['testcase'] as Record<string, any>[];
    expect(cases.map((c) => c['@name'])).toEqual(Object.keys(expected));
    expect(cases.every((c) => c['failure'] === undefined && c['skipped'] === undefined)).toBe(true);
    expect(text).toContain('name="se-&lt;48&gt;&amp;&quot;bias&quot;"');
    expect(cases[0]?.['system-out']).toContain(`thop ${expected['se-64-r4'].thop.toLocaleString('en-US')}`);
  });

  it('draws params and MACs against r for the cases that differ only in r: valid SVG, axes, legend', () => {
    const text = read('params-macs-vs-reduction.svg');
    expect(xmlProblem(text)).toBe('');
    const svg = parseXml(text)['svg'];
    expect(svg['@xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(svg['title']).toBe('Params and MACs (thop) against the reduction ratio r');
    expect(text).toContain('>reduction ratio r, log scale</text>');
    expect(text).toContain('>params, log scale</text>');
    expect(text).toContain('>MACs (thop), log scale</text>');
    // One line, two points per panel: the 48-channel case has no partner ratio.
    expect(text.match(/<polyline /g)).toHaveLength(2);
    expect(text.match(/<circle /g)).toHaveLength(4);
    expect(text).toContain(`se-64-r16: r=16, ${expected['se-64-r16'].params.toLocaleString('en-US')} params`);
    expect(text).toMatch(/class="legend">.*>block=se, channels=64, height=5, width=6, batch=1, bias=false<\/text>/);
  });

  it("draws each case's FLOPs by op kind: valid SVG, one bar per case, a legend of the kinds", () => {
    const text = read('cost-by-op-kind.svg');
    expect(xmlProblem(text)).toBe('');
    expect(text).toContain('>share of the case&apos;s FLOPs (flops convention)</text>');
    for (const kind of ['global_avg_pool', 'linear', 'relu', 'sigmoid', 'scale']) expect(text).toContain(`>${kind}</text>`);
    expect(text).toContain('>se-&lt;48&gt;&amp;&quot;bias&quot;</text>');
    for (const pct of ['0%', '50%', '100%']) expect(text).toContain(`>${pct}</text>`);
    // Five op kinds with a cost in each of three bars.
    expect(text.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="18"/g)).toHaveLength(15);
  });

  it('writes report.md: a summary table, the charts by name (a comment cannot show them), a collapsed section per case', () => {
    const md = read('report.md');
    expect(md).toMatch(/^# seprof report\n/);
    expect(md).toContain('| Case | Spec | Params | MACs (thop) | FLOPs (flops) | Check |\n');
    expect(md).toContain(
      `| \`se-64-r4\` | SEAttention(64, r=4) on 1x64x5x6 · hidden width 16 | 2,048 | ${expected['se-64-r4'].thop.toLocaleString('en-US')} |`,
    );
    expect(md).not.toContain('![');
    const charts = [...md.matchAll(/`([^`]+\.svg)`/g)].map(([, file]) => file ?? '');
    expect(charts).toHaveLength(2);
    for (const file of charts) expect(existsSync(join(out, file))).toBe(true);
    for (const name of Object.keys(expected))
      expect(md).toContain(`<summary><b>${name.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c] ?? c)}</b>`);
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md.match(/<\/details>/g)).toHaveLength(3);
    expect(md).toContain('| `fc1` | linear | 1x16 | 1,024 |');
  });

  it('writes summary.md for a CI job summary: the same document when it fits both', () => {
    expect(read('summary.md')).toBe(read('report.md'));
  });
});

describe('seprof report --no-measure', () => {
  it('never loads tfjs and marks every junit test case skipped', () => {
    const out = join(dir, 'analytic');
    const run = seprof(['report', '--suite', suite, '--out', out, '--no-measure'], ['--require', join(ROOT, 'test/support/loaded-modules.cjs')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^Wrote [^\n]+\ntfjs-modules-loaded=0\n$/);
    const xml = parseXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(xml['testsuites']['@skipped']).toBe('3');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).cases[0].latency).toBeNull();
  });
});

describe('report: user mistakes are one line, exit 2, nothing on stdout, no files', () => {
  const suiteWith = (name: string, cases: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, typeof cases === 'string' ? cases : JSON.stringify({ cases }));
    return path;
  };
  const cases: [string, () => string[], RegExp][] = [
    ['missing --out', () => ['--suite', suite], /required option '--out <dir>' not specified/],
    ['missing --suite', () => ['--out', join(dir, 'x')], /required option '--suite <file>' not specified/],
    [
      'unreadable suite',
      () => ['--suite', join(dir, 'none.json'), '--out', join(dir, 'x')],
      /cannot read the suite .*none\.json: no such file or directory \(ENOENT\)/,
    ],
    [
      'suite not JSON',
      () => ['--suite', suiteWith('s1.json', '{"cases": ['), '--out', join(dir, 'x')],
      /s1\.json: not valid JSON at line 1:12: unexpected end of JSON input/,
    ],
    ['no cases', () => ['--suite', suiteWith('s2.json', '{"case": []}'), '--out', join(dir, 'x')], /s2\.json: expected an object with a "cases" array/],
    [
      'a bad value',
      () => [
        '--suite',
        suiteWith('s3.json', [
          { name: 'ok', options: { channels: 32 } },
          { name: 'zero', options: { channels: 0 } },
        ]),
        '--out',
        join(dir, 'x'),
      ],
      /s3\.json: case 'zero': --channels must be at least 1, got '0'/,
    ],
    [
      'an unknown option',
      () => ['--suite', suiteWith('s4.json', [{ name: 'typo', options: { channels: 8, reductoin: 2 } }]), '--out', join(dir, 'x')],
      /case 'typo': unknown option 'reductoin'/,
    ],
    [
      'a run option',
      () => ['--suite', suiteWith('s5.json', [{ name: 'r', options: { channels: 8, runs: 3 } }]), '--out', join(dir, 'x')],
      /case 'r': 'runs' says how to run, not what to profile/,
    ],
    [
      'a switch given a string',
      () => ['--suite', suiteWith('s6.json', [{ name: 'b', options: { channels: 8, bias: 'yes' } }]), '--out', join(dir, 'x')],
      /case 'b': 'bias' must be true or false, got "yes"/,
    ],
    [
      'a list as a value',
      () => ['--suite', suiteWith('s7.json', [{ name: 'l', options: { channels: [8, 16] } }]), '--out', join(dir, 'x')],
      /case 'l': 'channels' must be a number or a string, got \[8,16\]/,
    ],
    [
      'a duplicate name',
      () => [
        '--suite',
        suiteWith('s8.json', [
          { name: 'd', options: { channels: 32 } },
          { name: 'd', options: { channels: 64 } },
        ]),
        '--out',
        join(dir, 'x'),
      ],
      /case 'd': the name is used twice/,
    ],
    ['no name', () => ['--suite', suiteWith('s9.json', [{ options: { channels: 32 } }]), '--out', join(dir, 'x')], /case 1: "name" must be a non-empty string/],
    ['--out is a file', () => ['--suite', suite, '--out', suite], /--out .*tiny\.json is a file, not a directory/],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    const run = await seprofInProcess(['report', ...args(), '--no-measure']);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^seprof: /);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
