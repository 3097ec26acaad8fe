// Names with line breaks never start a line of their own (issue 23, item 4): a name from a
// model file (producer, node and tensor names) or a compared report must not print a line
// that begins `::error::` or `::add-mask::`, which GitHub Actions reads as a command to the
// runner. Every output a CI log may show is checked: tables, markdown, CSV, explain, stderr
// notes, the report set's files and compare's JUnit XML.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, seprofInProcess, type Run } from './support/cli';
import { encodeModel } from './support/onnx';

const dir = mkdtempSync(join(tmpdir(), 'seprof-newline-'));

/** Every break a terminal or log viewer may start a line at, each before a workflow command. */
const inject = (name: string): string => `${name}\n::error::${name}\r::add-mask::${name}\u2028::warning::${name}\u000b::debug::${name}`;
const COMMAND_LINE = /^[\s\u0085]*::(error|add-mask|warning|debug)/mu;
/** Line breaks that split a line in a log: \r, \n, VT, FF, NEL, LS, PS. */
const LOG_LINES = /\r\n|[\r\n\u000b\u000c\u0085\u2028\u2029]/;

function expectNoCommandLine(text: string, what: string): void {
  for (const line of text.split(LOG_LINES)) expect(line, `${what}: ${JSON.stringify(line)}`).not.toMatch(COMMAND_LINE);
}

function expectClean(run: Run, what: string): void {
  expect(run.code, `${what}: ${run.stderr}`).not.toBe(4);
  expectNoCommandLine(run.stdout, `${what} stdout`);
  expectNoCommandLine(run.stderr, `${what} stderr`);
}

const weight = (dims: number[]): { name: string; dims: number[]; rawData: Uint8Array } => ({
  name: inject(`w${dims.join('x')}`),
  dims,
  rawData: new Uint8Array(new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.01).buffer),
});
const w1 = weight([2, 8, 1, 1]);
const w2 = weight([8, 2, 1, 1]);
const x = inject('images');
/** An SE block (pool, 1x1 conv, relu, 1x1 conv, sigmoid, scale) whose every name carries commands. */
const model = join(dir, 'se.onnx');
writeFileSync(
  model,
  encodeModel({
    producer: inject('pytorch'),
    input: { name: x, dims: [1, 8, 4, 4] },
    nodes: [
      { op: 'GlobalAveragePool', inputs: [x], outputs: [inject('p')], name: inject('pool') },
      { op: 'Conv', inputs: [inject('p'), w1.name], outputs: [inject('c1')], name: inject('fc1') },
      { op: 'Relu', inputs: [inject('c1')], outputs: [inject('r')], name: inject('relu') },
      { op: 'Conv', inputs: [inject('r'), w2.name], outputs: [inject('c2')], name: inject('fc2') },
      { op: 'Sigmoid', inputs: [inject('c2')], outputs: [inject('s')], name: inject('gate') },
      { op: 'Mul', inputs: [x, inject('s')], outputs: [inject('y')], name: inject('scale') },
    ],
    initializers: [w1, w2],
  }),
);

describe('a model file whose names hold line breaks', () => {
  it.each([
    ['table', ['--no-measure']],
    ['tree', ['--no-measure', '--depth', '1', '--top', '3']],
    ['markdown', ['--no-measure', '--format', 'markdown']],
    ['csv', ['--no-measure', '--format', 'csv', '--total-row']],
    ['training', ['--no-measure', '--training']],
    ['measured', []],
  ])('%s: no line starts with a command', async (label, args) => {
    const run = await seprofInProcess(['--file', model, ...args]);
    expect(run.code, run.stderr).toBe(0);
    expectClean(run, label);
    expect(run.stdout).toContain('::error::'); // the names are shown, on the line they belong to
  });

  it.each([['table'], ['markdown'], ['json']])('explain --format %s', async (format) => {
    const run = await seprofInProcess(['explain', '--file', model, '--format', format]);
    expect(run.code, run.stderr).toBe(0);
    expectClean(run, `explain ${format}`);
  });

  it('a missing --input name in a message stays one line', async () => {
    const run = await seprofInProcess(['--file', model, '--input', 'other=1x8x4x4', '--no-measure']);
    expect(run.code).toBe(2);
    expectClean(run, 'input message');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('report: the set, every file of it, and stderr', async () => {
    const suite = join(dir, 'suite.json');
    writeFileSync(
      suite,
      JSON.stringify({
        cases: [
          { name: inject('case'), options: { file: model } },
          { name: 'se', options: { channels: 16 } },
        ],
      }),
    );
    const out = join(dir, 'set');
    const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure']);
    expect(run.code, run.stderr).toBe(0);
    expectClean(run, 'report');
    for (const file of readdirSync(out)) expectNoCommandLine(readFileSync(join(out, file), 'utf8'), file);
  });
});

describe('compare of reports whose case names hold line breaks', () => {
  const baseline = JSON.parse(readFileSync(join(ROOT, 'reports/baseline.json'), 'utf8')) as { cases: { name: string; params: number; spec: object }[] };
  const base = structuredClone(baseline);
  base.cases = base.cases.slice(0, 3);
  base.cases.forEach((c, i) => (c.name = inject(`case${i}`)));
  const next = structuredClone(base);
  next.cases[0]!.params += 1;
  next.cases[1]!.spec = { ...next.cases[1]!.spec, note: inject('spec') };
  next.cases.splice(2, 1, { ...next.cases[2]!, name: inject('added') });
  const basePath = join(dir, 'base.json');
  const nextPath = join(dir, 'new.json');
  writeFileSync(basePath, JSON.stringify(base));
  writeFileSync(nextPath, JSON.stringify(next));

  it.each([['table'], ['markdown'], ['json']])('--format %s and its --junit file', async (format) => {
    const junit = join(dir, `compare-${format}.xml`);
    const run = await seprofInProcess(['compare', basePath, nextPath, '--format', format, '--junit', junit]);
    expect(run.code, run.stderr).toBe(1);
    expectClean(run, `compare ${format}`);
    expect(run.stderr).toContain('::error::case0');
    const xml = readFileSync(junit, 'utf8');
    expectNoCommandLine(xml, 'junit');
    // The XML still carries the names exactly: the breaks are character references.
    expect(xml).toContain('case0&#10;::error::case0&#13;::add-mask::case0&#8232;::warning::case0');
  });
});
