// Outputs that compose (issue 15, item 3): JSON numbers, CSV data rows (a total row on
// request), status on stderr, a closed stdout ends quietly, compare's JUnit file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError, ROOT, seprofInProcess } from './support/cli';
import { parseXml, xmlProblem } from './support/xml';

const dir = mkdtempSync(join(tmpdir(), 'seprof-compose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every string in a JSON document that reads as a number: a number written as text. */
function numbersAsText(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return /^[-+]?[\d,.]+(%|[KMGTB])?$/.test(value) && !/^\d+\.\d+\.\d+$/.test(value) ? [`${path}=${value}`] : [];
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersAsText(v, `${path}.${k}`));
  return [];
}

describe('JSON outputs carry numbers as JSON numbers', () => {
  it.each([
    ['profile', ['--channels', '64', '--no-measure', '--json']],
    ['sweep', ['sweep', '--channels', '64,128', '--no-measure', '--json']],
    ['explain', ['explain', '--channels', '64', '--no-measure', '--training', '--json']],
    ['paper', ['paper', '--json']],
    ['compare', ['compare', 'reports/baseline.json', 'reports/baseline.json', '--json']],
  ])('%s', async (_, argv) => {
    const run = await seprofInProcess(argv.map((a) => (a.startsWith('reports/') ? join(ROOT, a) : a)));
    expect(run.code).toBe(0);
    // compare's tolerances are the user's words ("1%"), not figures.
    expect(numbersAsText(JSON.parse(run.stdout)).filter((n) => !/^\.(latencyT|t)olerance=/.test(n))).toEqual([]);
  });

  it('report.json', async () => {
    const out = join(dir, 'report');
    const run = await seprofInProcess(['report', '--suite', join(ROOT, 'reports/suite.json'), '--out', out, '--no-measure', '--quiet']);
    expect({ code: run.code, stdout: run.stdout === '' }).toEqual({ code: 0, stdout: false });
    expect(run.stderr).toMatch(/^Wrote .* to /); // status on stderr, not stdout
    expect(run.stdout).not.toMatch(/Wrote/);
    expect(numbersAsText(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')))).toEqual([]);
  });
});

describe('CSV: data rows only, a marked total row on request', () => {
  const layers = ['--channels', '16', '--reduction', '4', '--height', '2', '--width', '2', '--format', 'csv', '--no-measure'];
  const column = (lines: string[], i: number) => lines.slice(1).map((l) => BigInt(l.split(',')[i] ?? ''));

  it('a layer CSV sums to the total row it gives with --total-row', async () => {
    const plain = (await seprofInProcess(layers)).stdout.trim().split('\n');
    const withTotal = (await seprofInProcess([...layers, '--total-row'])).stdout.trim().split('\n');
    expect(plain.some((l) => l.startsWith('total,'))).toBe(false);
    expect(withTotal.slice(0, -1)).toEqual(plain);
    const total = withTotal.at(-1)?.split(',') ?? [];
    expect(total[0]).toBe('total');
    expect(BigInt(total[5] ?? '')).toBe(column(plain, 5).reduce((a, b) => a + b, 0n)); // thop
  });

  it('insertion points the same way', async () => {
    const argv = ['--at', '256x20x20', '--at', '512x10x10', '--format', 'csv', '--no-measure'];
    const plain = (await seprofInProcess(argv)).stdout.trim().split('\n');
    expect(plain).toHaveLength(3);
    const total = (await seprofInProcess([...argv, '--total-row'])).stdout.trim().split('\n').at(-1)?.split(',') ?? [];
    expect(total[0]).toBe('total');
    expect(BigInt(total[3] ?? '')).toBe(column(plain, 3).reduce((a, b) => a + b, 0n));
  });

  it('--total-row with another format is a usage error', async () => {
    expectUsageError(await seprofInProcess(['--channels', '16', '--no-measure', '--total-row']), /--total-row applies to --format csv/);
  });
});

describe('a reader that stops early (`| head -1`): exit 0, no trace', () => {
  const bin = join(ROOT, 'bin', 'seprof');
  it.each([
    // Most write more than a pipe holds (64 KiB), so that the write itself fails with EPIPE.
    ['profile', '--model senet154 --no-measure --depth 9 --conventions all'],
    ['profile csv', '--model senet154 --no-measure --format csv --training'],
    ['explain', 'explain --model se-resnet50 --no-measure'],
    ['paper', 'paper'],
    ['sweep', 'sweep --channels 8..4096x2 --reduction 1..8 --height 1..20 --no-measure --format csv'],
    ['report', `report --suite reports/suite.json --out ${join(dir, 'piped')} --no-measure --quiet`],
    ['compare', 'compare reports/baseline.json reports/baseline.json --json'],
    ['help', 'help sweep'],
  ])('%s', (_, args) => {
    // pipefail: the exit code is seprof's, not head's.
    const run = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${bin}" ${args} | head -1`], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    // Only report's status line: no EPIPE, no stack.
    expect(run.stderr).toMatch(args.startsWith('report') ? /^Wrote [^\n]*\n$/ : /^$/);
    expect(run.stdout.split('\n')).toHaveLength(2);
  });
});

describe('compare --junit FILE', () => {
  const base = join(ROOT, 'reports/baseline.json');
  const doc = JSON.parse(readFileSync(base, 'utf8')) as { cases: { name: string; params: number; counts: Record<string, number> }[] };
  const moved = structuredClone(doc);
  const [first, second] = moved.cases;
  if (first === undefined || second === undefined) throw new Error('the baseline has two cases at least');
  first.params += 1;
  second.counts['thop'] = (second.counts['thop'] ?? 0) + 5;
  const removed = moved.cases.pop();
  const movedPath = join(dir, 'moved.json');
  writeFileSync(movedPath, JSON.stringify(moved));

  it('writes each regression as a failing test case, and exits 1 as the step does', async () => {
    const junit = join(dir, 'junit', 'compare.xml');
    const run = await seprofInProcess(['compare', base, movedPath, '--junit', junit]);
    expect(run.code).toBe(1);
    const text = readFileSync(junit, 'utf8');
    expect(xmlProblem(text)).toBe('');
    const suite = parseXml(text)['testsuites']['testsuite'];
    const failing = (suite['testcase'] as Record<string, any>[]).filter((t) => t['failure'] !== undefined).map((t) => t['@name']);
    expect(failing).toEqual([`${first.name}: params`, `${second.name}: thop`, `${removed?.name}: case`]);
    expect(suite['@failures']).toBe('3');
    expect(readdirSync(join(dir, 'junit'))).toEqual(['compare.xml']); // no temporary file left
  });

  it('passes every test case when nothing moved', async () => {
    const junit = join(dir, 'same.xml');
    expect((await seprofInProcess(['compare', base, base, '--junit', junit])).code).toBe(0);
    const suite = parseXml(readFileSync(junit, 'utf8'))['testsuites']['testsuite'];
    expect(suite['@failures']).toBe('0');
    expect(Number(suite['@tests'])).toBe(doc.cases.length * 9);
  });

  it('refuses to replace what is not a regular file', async () => {
    expectUsageError(await seprofInProcess(['compare', base, base, '--junit', dir]), /is not a regular file/);
  });
});
