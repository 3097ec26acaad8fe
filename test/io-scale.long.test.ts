// Input at the limits seprof accepts, rendered whole (the refusals past them: io-hardening.slow):
// seconds each, so in the long tier.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profile } from '../src/analyzers/profile';
import { profileOptions } from '../src/cli/options';
import { buildSpec } from '../src/model/spec';
import { reportCharts } from '../src/report/report/charts';
import { ROOT, seprofInProcess } from './support/cli';

const dir = mkdtempSync(join(tmpdir(), 'seprof-io-scale-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('the most seprof accepts renders whole', () => {
  it('charts 30,000 cases: 200,000 SVG elements (spreading them as arguments once overflowed the stack)', async () => {
    const results = await Promise.all([2, 4].map((r) => profile(buildSpec({ channels: '64', reduction: String(r) }), profileOptions({ measure: false }))));
    const cases = Array.from({ length: 30_000 }, (_, i) => ({ name: `se-${i}`, profile: results[i % 2]!, seconds: 0 }));
    const charts = reportCharts(cases, 'thop');
    expect(charts.map((c) => c.file)).toEqual(['params-macs-vs-reduction.svg', 'cost-by-op-kind.svg']);
    expect(charts[1]?.svg).toContain('>se-29999</text>');
  });
  it('10,000 insertion points render', async () => {
    const shapes = Array.from({ length: 10_000 }, (_, i) => `${64 + i}x7x7`).join('\n');
    const run = await seprofInProcess(['--at-file', write('ok.txt', shapes), '--reduction', '4', '--no-measure']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toHaveLength(10_000 + 8);
  });

  const baseline = JSON.parse(readFileSync(join(ROOT, 'reports/baseline.json'), 'utf8')) as { cases: Record<string, any>[] };
  it('compare with 10,000 changed cases renders every row', async () => {
    const one = baseline.cases[0]!;
    const many = (shift: number) => ({
      ...baseline,
      cases: Array.from({ length: 10_000 }, (_, i) => ({ ...one, name: `c${i}`, params: one['params'] + shift })),
    });
    const run = await seprofInProcess(['compare', write('many-base.json', JSON.stringify(many(0))), write('many-new.json', JSON.stringify(many(1)))]);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/│ c\d+ /g)).toHaveLength(10_000);
  });
});
