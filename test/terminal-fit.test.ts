// Terminal fit (issue 15, item 5): a table wider than the terminal is stacked to fit it, never
// when piped; --units and --precision for the figures table and markdown show.
import { describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { expectUsageError, seprofInProcess } from './support/cli';

const widest = (text: string): number => Math.max(...text.split('\n').map((line) => stringWidth(line)));
/** Lines of box-drawn tables only: the summary lines under them are prose, not columns. */
const tableLines = (text: string): string => text.split('\n').filter((line) => /^[┌│├└]/.test(line)).join('\n');

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
    const cells = (text: string) => new Set(tableLines(text).split(/[│┌┐└┘├┤┬┴┼─\n]/).map((c) => c.trim()).filter((c) => c !== ''));
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
