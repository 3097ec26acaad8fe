// Profiles named specs one after another. tfjs is imported and its backend set up by the
// first measured case only; the rest reuse them (Node caches the module, tfjs the backend).
import { profile, type ProfileOptions } from '../analyzers/profile';
import type { CaseResult } from '../report/report/document';
import { SILENT, type Progress } from './progress';
import type { NamedSpec } from './suite';

export async function runCases(cases: readonly NamedSpec[], options: ProfileOptions, progress: Progress = SILENT): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  try {
    for (const { name, spec } of cases) {
      const start = performance.now();
      const result = await profile(spec, options);
      results.push({ name, profile: result, seconds: (performance.now() - start) / 1000 });
      progress.update(results.length, cases.length, 'cases');
    }
  } finally {
    progress.end();
  }
  return results;
}
