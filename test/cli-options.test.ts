// Every option on every command (issue 11, item 2): a command accepts exactly the options it
// honours; anything else is refused by the parser, and conflicting options the same way everywhere.
import { describe, expect, it } from 'vitest';
import { seprofInProcess } from './support/cli';

const SPEC = [
  '--block se',
  '--channels 8',
  '--reduction 4',
  '--height 7',
  '--width 7',
  '--batch 1',
  '--bias',
  '--se-fc conv1x1',
  '--se-hidden floor',
  '--se-activation relu',
  '--se-gate sigmoid',
  '--kind basic',
  '--planes 8',
  '--stride 1',
  '--stride-on 3x3',
  '--se-position pre',
  '--se-stages 2,3',
  '--widths 1,1,1,1,1,1',
  '--branch3 5x5',
  '--pool max',
  '--model resnet50',
  '--preset cadene',
  '--layout v1',
];
const MEASURE = ['--no-measure', '--max-memory 1G', '--backend cpu'];
const TIMING = ['--runs 3', '--warmup 1'];
const FORMAT = ['--format json', '--json'];
const CONVENTIONS = ['--convention thop', '--conventions thop'];
const UNITS = ['--units K', '--precision 2'];
const DISPLAY = [...UNITS, '--total-row'];
const ALL = [
  ...SPEC,
  '--file m.onnx',
  '--training',
  ...MEASURE,
  '--latency',
  ...TIMING,
  '--quiet',
  '--at 8x7x7',
  '--at-file points.txt',
  '--depth 2',
  '--top 3',
  ...FORMAT,
  ...DISPLAY,
  ...CONVENTIONS,
  '--tolerance 0.1',
  '--fail-on change',
  '--latency-tolerance 0.5',
  '--junit j.xml',
  '--suite s.json',
  '--out o',
  '--link https://x.y',
  '--plain-out',
  '--debug',
];

/** Each command, argv that fails fast after parsing (a zero, a missing file), and what it honours. */
const COMMANDS: Record<string, { argv: string[]; accepts: string[] }> = {
  seprof: {
    argv: ['--channels', '0'],
    accepts: [
      ...SPEC,
      '--file m.onnx',
      '--training',
      ...MEASURE,
      '--latency',
      ...TIMING,
      '--quiet',
      '--at 8x7x7',
      '--at-file points.txt',
      '--depth 2',
      '--top 3',
      ...FORMAT,
      ...DISPLAY,
      ...CONVENTIONS,
      '--debug',
    ],
  },
  explain: {
    argv: ['explain', '--channels', '0'],
    accepts: [...SPEC, '--file m.onnx', '--training', ...MEASURE, '--quiet', ...FORMAT, ...UNITS, ...CONVENTIONS, '--debug'],
  },
  sweep: {
    argv: ['sweep', '--channels', '0'],
    accepts: [...SPEC, '--file m.onnx', ...MEASURE, '--latency', ...TIMING, '--quiet', ...FORMAT, ...UNITS, ...CONVENTIONS, '--debug'],
  },
  report: {
    argv: ['report', '--suite', '/nonexistent/s.json', '--out', '/nonexistent/o'],
    accepts: [
      ...MEASURE,
      '--latency',
      ...TIMING,
      '--quiet',
      '--depth 2',
      ...UNITS,
      ...CONVENTIONS,
      '--suite s.json',
      '--out o',
      '--link https://x.y',
      '--plain-out',
      '--debug',
    ],
  },
  compare: {
    argv: ['compare', '/nonexistent/a.json', '/nonexistent/b.json'],
    accepts: [...FORMAT, '--tolerance 0.1', '--fail-on change', '--latency-tolerance 0.5', '--junit j.xml', '--debug'],
  },
  baseline: {
    argv: ['baseline', '--suite', '/nonexistent/s.json', '--out', '/nonexistent/o.json'],
    accepts: ['--quiet', '--suite s.json', '--out o', '--debug'],
  },
  init: { argv: ['init', '/nonexistent/dir', '--model', 'resnet5'], accepts: ['--model resnet50', '--file m.onnx', '--quiet', '--debug'] },
  paper: { argv: ['paper'], accepts: [...FORMAT, '--debug'] },
};

const cases = Object.entries(COMMANDS).flatMap(([command, { argv, accepts }]) =>
  ALL.map((option) => ({ command, option, argv: [...argv, ...option.split(' ')], accepted: accepts.includes(option) })),
);

describe('every option on every command', () => {
  it.each(cases)('$command $option: accepted $accepted', async ({ option, argv, accepted }) => {
    const run = await seprofInProcess(argv);
    const flag = option.split(' ')[0] ?? '';
    if (accepted) {
      expect(run.stderr).not.toMatch(/unknown option|cannot be used with/);
    } else {
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).toContain(`unknown option '${flag}'`);
    }
  });
});

describe('conflicting options are refused the same way by every command', () => {
  it.each([
    ['seprof', ['--channels', '64', '--no-measure']],
    ['sweep', ['sweep', '--channels', '64', '--no-measure']],
    ['report', ['report', '--suite', 'reports/suite.json', '--out', '/nonexistent/o', '--no-measure']],
  ])('%s --convention fvcore --conventions thop', async (_, argv) => {
    const run = await seprofInProcess([...argv, '--convention', 'fvcore', '--conventions', 'thop']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: "seprof: option '--conventions <keys>' cannot be used with option '--convention <key>'\n" });
  });

  it.each([
    ['seprof', ['--channels', '64', '--no-measure']],
    ['explain', ['explain', '--channels', '64', '--no-measure']],
    ['sweep', ['sweep', '--channels', '64', '--no-measure']],
    ['paper', ['paper']],
    ['compare', ['compare', 'reports/baseline.json', 'reports/baseline.json']],
  ])('%s --json --format markdown', async (_, argv) => {
    const run = await seprofInProcess([...argv, '--json', '--format', 'markdown']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: '{"error":{"message":"--json conflicts with --format markdown","exitCode":2}}\n' });
  });
});

describe('--depth with --format csv', () => {
  const csv = async (...extra: string[]): Promise<string[][]> => {
    const run = await seprofInProcess(['--model', 'se-resnet50', '--no-measure', '--format', 'csv', ...extra]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    return run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(','));
  };
  /** Each numeric column's sum over the data rows. */
  const sums = (rows: string[][]): bigint[] =>
    rows.slice(1).reduce(
      (sum, row) => sum.map((s, i) => s + BigInt(row[i + 3] || '0')),
      (rows[0] ?? []).slice(3).map(() => 0n),
    );

  it('gives one row per module that deep, each layer in one row: every column sums as the flat rows do', async () => {
    const flat = await csv();
    const depth1 = await csv('--depth', '1');
    expect(depth1.map((row) => row[0])).toEqual(['layer', 'stem', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'fc']);
    expect(depth1.find((row) => row[0] === 'layer1')?.[1]).toBe('50 ops');
    expect(sums(depth1)).toEqual(sums(flat));
    // Depth 2: the stem's 4 layers, ResNet-50's 3 + 4 + 6 + 3 blocks, avgpool and fc.
    const depth2 = await csv('--depth', '2');
    expect(depth2.length - 1).toBe(4 + (3 + 4 + 6 + 3) + 2);
    expect(sums(depth2)).toEqual(sums(flat));
  });

  it("without --depth stays one row per layer, the table's default tree notwithstanding", async () => {
    const flat = await csv();
    expect(flat.slice(1).every((row) => !/ ops$/.test(row[1] ?? ''))).toBe(true);
  });
});
