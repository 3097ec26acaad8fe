// The committed baseline: the shipped suite's counts, regenerated now, must not have moved.
// Analytic only, so that no timing or backend enters; `npm run baseline` refreshes it on purpose.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../src/cli/suite';
import { runCases } from '../src/cli/run-cases';
import { compareReports, EXACT } from '../src/report/compare/compare';
import { readReport, renderReportJson, reportJson } from '../src/report/report/document';
import type { Spec } from '../src/model/spec';
import { ROOT, seprofInProcess } from './support/cli';
import { closedForm } from './support/closed-forms';

const baselineText = readFileSync(join(ROOT, 'reports/baseline.json'), 'utf8');
const baseline = JSON.parse(baselineText) as {
  cases: { name: string; spec: any; params: number; buffers: number; counts: Record<string, number>; latency: unknown }[];
};

describe('reports/baseline.json', () => {
  it('matches the shipped suite regenerated now, count for count', async () => {
    const suitePath = join(ROOT, 'reports/suite.json');
    const results = await runCases(loadSuite(suitePath), { measure: false, backend: 'auto' });
    const now = renderReportJson(reportJson(results, { toolVersion: 'test', date: new Date(), suite: suitePath }));
    const comparison = compareReports(readReport(baselineText, 'baseline'), readReport(now, 'now'), { tolerance: EXACT });
    expect(comparison.failures, 'a count moved: if on purpose, refresh with `npm run baseline`').toEqual([]);
    expect(comparison.added).toEqual([]);
    expect(comparison.compared).toBe(results.length);
  });

  it('holds no timings, so that refreshing it changes only what was counted', () => {
    expect(baseline.cases.every((c) => c.latency === null)).toBe(true);
  });

  it('is what `npm run baseline` writes now, byte for byte: regenerating with nothing changed changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seprof-baseline-'));
    const out = join(dir, 'baseline.json');
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['baseline'];
    expect(script).toContain('seprof baseline --suite reports/suite.json --out reports/baseline.json');
    const cwd = process.cwd();
    process.chdir(ROOT); // the suite path is recorded as given, relative to the repository
    try {
      for (let run = 0; run < 2; run++) {
        expect(await seprofInProcess(['baseline', '--suite', 'reports/suite.json', '--out', out, '--quiet'])).toEqual({
          code: 0,
          stdout: '',
          stderr: `Wrote the counts of 28 case(s) to ${out}\n`,
        });
        expect(readFileSync(out, 'utf8')).toBe(baselineText);
      }
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The baseline must also be right, not only stable: every SE case against docs/conventions.md's closed forms,
  // every hybrid block against its params and thop closed forms. (Networks: test/networks.slow.test.ts.)
  const ofBlock = (block: string) => baseline.cases.filter((c) => c.spec.block === block).map((c) => [c.name, c] as const);

  it.each([...ofBlock('se-resnet'), ...ofBlock('resnet'), ...ofBlock('se-inception'), ...ofBlock('inception')])(
    '%s agrees with the block closed forms',
    (_, c) => {
      const [params, thop] = closedForm(c.spec as Spec);
      expect(BigInt(c.params)).toBe(params);
      expect(BigInt(c.counts['thop'] ?? 0)).toBe(thop);
    },
  );

  it.each(ofBlock('se'))('%s agrees with the closed forms', (_, c) => {
    const { channels: C, height, width } = c.spec.input as { channels: number; height: number; width: number };
    const [B, S, m, bias] = [c.spec.batch as number, height * width, Math.floor(C / (c.spec.reduction as number)), c.spec.bias as boolean];
    expect(c.spec.block).toBe('se');
    expect(c.params).toBe(2 * C * m + (bias ? m + C : 0));
    expect(c.buffers).toBe(0);
    expect(c.counts).toEqual({
      thop: B * C * (S + 1) + 2 * B * C * m,
      fvcore: B * C * S + 2 * B * C * m,
      ptflops: C * S + 2 * C * m + m + B * (C * S + m) + (bias ? m + C : 0),
      'ptflops-aten': 2 * B * C * m + (bias ? B * (m + C) : 0),
      macs: 2 * B * C * m,
      flops: 2 * B * C * S + 4 * B * C * m + B * m + 4 * B * C + (bias ? B * (m + C) : 0),
      senet: 2 * B * C * S + 2 * B * C * m,
    });
  });
});
