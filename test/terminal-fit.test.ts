// Terminal fit (issue 15, item 5): a table wider than the terminal is stacked to fit it, never
// when piped; --units and --precision for the figures table and markdown show.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { expectUsageError, seprofInProcess } from './support/cli';

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => stringWidth(line)));
/** Lines of box-drawn tables only: the summary lines under them are prose, not columns. */
const tableLines = (text: string): string =>
  text
    .split('\n')
    .filter((line) => /^[┌│├└]/.test(line))
    .join('\n');

describe('a table wider than the terminal is stacked to fit', () => {
  const wide = ['--channels', '512', '--conventions', 'all', '--training', '--no-measure'];

  it('is over 200 columns piped, and unchanged', async () => {
    const piped = await seprofInProcess(wide);
    expect(widest(tableLines(piped.stdout))).toBeGreaterThan(200);
    expect(await seprofInProcess(wide, 400)).toEqual(piped); // a terminal wide enough: the same table
  });

  it.each([80, 100, 120])('fits a %i-column terminal, every row and column still there', async (columns) => {
    const piped = await seprofInProcess(wide);
    const fitted = await seprofInProcess(wide, columns);
    expect(fitted.code).toBe(0);
    expect(widest(tableLines(fitted.stdout))).toBeLessThanOrEqual(columns);
    // Every header and every figure of the wide table is in one of the stacked parts.
    const cells = (text: string) =>
      new Set(
        tableLines(text)
          .split(/[│┌┐└┘├┤┬┴┼─\n]/)
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      );
    expect(cells(fitted.stdout)).toEqual(cells(piped.stdout));
    // The row labels repeat beside each part.
    expect(fitted.stdout.match(/│ fc1 /g)?.length).toBeGreaterThan(1);
  });

  it.each([
    ['sweep', ['sweep', '--channels', '64,128', '--conventions', 'all', '--no-measure']],
    ['explain', ['explain', '--channels', '64', '--training', '--no-measure']],
  ])('%s too', async (_, argv) => {
    expect(widest(tableLines((await seprofInProcess(argv)).stdout))).toBeGreaterThan(90);
    expect(widest(tableLines((await seprofInProcess(argv, 90)).stdout))).toBeLessThanOrEqual(90);
  });
});

describe('80 and 60 columns', () => {
  /** The stacked parts of a table: each part's header cells. */
  const headers = (text: string): string[][] =>
    text
      .split('\n')
      .filter((line, i, lines) => line.startsWith('│') && lines[i - 1]?.startsWith('┌') === true)
      .map((line) =>
        line
          .split('│')
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      );

  it("the README's first command draws a table 80 wide at most, piped or on an 80-column terminal", async () => {
    const argv = ['--channels', '512', '--reduction', '8', '--no-measure'];
    const piped = await seprofInProcess(argv);
    expect(widest(tableLines(piped.stdout))).toBeLessThanOrEqual(80);
    expect(await seprofInProcess(argv, 80)).toEqual(piped); // not stacked
  });

  it.each([
    ['an SE block with every convention and --training', ['--channels', '512', '--conventions', 'all', '--training', '--no-measure']],
    ['a network as a tree', ['--model', 'se-resnet50', '--no-measure']],
    ["the README's first command", ['--channels', '512', '--reduction', '8', '--no-measure']],
  ])('at 60 columns, %s: every stacked part shows counts beside its labels', async (_, argv) => {
    const run = await seprofInProcess(argv, 60);
    expect(widest(tableLines(run.stdout))).toBeLessThanOrEqual(60);
    const parts = headers(run.stdout).filter((part) => part[0] === 'Layer'); // the layer table's, not the SE overhead's
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts.slice(0, -1)) expect(part.some((h) => /^(Params|MACs|FLOPs)/.test(h))).toBe(true);
    // Every column is somewhere: the output shapes after the counts.
    expect(parts.flat()).toContain('Output');
  });

  it('paper fits an 80-column terminal, every figure kept; piped it is one table each', async () => {
    const piped = await seprofInProcess(['paper']);
    expect(widest(tableLines(piped.stdout))).toBeGreaterThan(80);
    const fitted = await seprofInProcess(['paper'], 80);
    expect(widest(tableLines(fitted.stdout))).toBeLessThanOrEqual(80);
    const cells = (text: string) =>
      new Set(
        tableLines(text)
          .split(/[│┌┐└┘├┤┬┴┼─\n]/)
          .map((c) => c.trim())
          .filter((c) => c !== ''),
      );
    expect(cells(fitted.stdout)).toEqual(cells(piped.stdout));
    expect(headers(fitted.stdout).every((part) => part[0] === 'Model (r = 16)' || part[0] === 'Figure')).toBe(true);
  });

  it("compare's table fits the terminal", async () => {
    const argv = ['compare', 'test/fixtures/docs/base.json', 'test/fixtures/docs/new.json'];
    const piped = await seprofInProcess(argv);
    expect(widest(tableLines(piped.stdout))).toBeGreaterThan(60);
    const fitted = await seprofInProcess(argv, 60);
    expect(fitted.code).toBe(piped.code);
    expect(widest(tableLines(fitted.stdout))).toBeLessThanOrEqual(60);
    expect(headers(fitted.stdout).map((part) => part[0])).toEqual(headers(fitted.stdout).map(() => 'Case'));
  });
});

describe('--units and --precision', () => {
  const se = ['--channels', '512', '--reduction', '8', '--no-measure'];

  it('shows per-layer and total figures in units in the table', async () => {
    const run = await seprofInProcess([...se, '--units', 'K', '--precision', '1']);
    expect(run.stdout).toMatch(/│ fc1 +│ linear +│ 1x64 +│ +32\.8K │ +32\.8K │ +65\.5K │/);
    expect(run.stdout).toMatch(/│ Total +│ +│ +│ +65\.5K │ +91\.1K │ +183\.4K │/);
  });

  it('auto picks the unit per figure, and leaves small ones exact', async () => {
    const run = await seprofInProcess([...se, '--units', 'auto', '--format', 'markdown']);
    expect(run.stdout).toContain('| `fc1` | linear | 1x64 | 32.768K | 32.768K | 65.536K |');
    expect(run.stdout).toContain('| `relu` | relu | 1x64 | 0 | 0 | 64 |');
  });

  it('--precision alone means --units auto', async () => {
    expect((await seprofInProcess([...se, '--precision', '2'])).stdout).toMatch(/│ Total +│ +│ +│ +65\.54K │ +91\.14K │ +183\.36K │/);
  });

  it('leaves the summary exact', async () => {
    expect((await seprofInProcess([...se, '--units', 'M'])).stdout).toMatch(/^MACs \(thop\): +91,136 \(91\.136K\)$/m);
  });

  it.each([
    [['--precision', '2', '--format', 'csv'], /--precision applies to table and markdown: csv stays exact/],
    [['--units', 'T'], /--units must be one of auto, K, M, G/],
    [['--precision', '13'], /--precision must be at most 12/],
    [['--precision', '-1'], /--precision must be at least 0/],
  ])('%j is a usage error', async (argv, message) => {
    expectUsageError(await seprofInProcess([...se, ...argv]), message);
  });

  it('--units with --json is refused, in JSON', async () => {
    const run = await seprofInProcess([...se, '--units', 'K', '--json']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: '{"error":{"message":"--units applies to table and markdown: json stays exact","exitCode":2}}\n' });
  });
});
