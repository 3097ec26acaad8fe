// junit.xml: one test case per suite case, a failed cross-check is a failure, so that CI
// systems show the report like any test run.
import { CONVENTION_KEYS } from '../../analyzers/conventions';
import { describeSpec } from '../../model/spec';
import { mismatchedCases, skippedCases, totalSeconds, type CaseResult } from './document';
import { withCommas } from '../format';
import { checkLine } from '../profile/summary';
import { element, junitDocument, textElement } from '../xml';

function testcase({ name, profile, seconds }: CaseResult, classname: string): string {
  const { check, totals } = profile;
  const outcome =
    check.status === 'mismatch'
      ? [
          textElement(
            'failure',
            { message: checkLine(profile), type: 'CrossCheckMismatch' },
            check.mismatches.map((m) => `${m.layer} ${m.quantity}: analytic ${m.analytic}, measured ${m.measured}`).join('\n'),
          ),
        ]
      : check.status === 'skipped'
        ? [element('skipped', { message: checkLine(profile) })]
        : [];
  const counts = CONVENTION_KEYS.map((k) => `${k} ${withCommas(totals.counts[k] ?? 0n)}`).join(', ');
  const out = `${describeSpec(profile.spec)}: params ${withCommas(totals.params)}, buffers ${withCommas(totals.buffers)}, ${counts}`;
  return element('testcase', { name, classname, time: seconds.toFixed(3) }, ...outcome, textElement('system-out', {}, out));
}

export function renderJunit(results: readonly CaseResult[], meta: { suiteName: string; date: Date }): string {
  const failures = mismatchedCases(results).length;
  const skipped = skippedCases(results).length;
  const time = totalSeconds(results).toFixed(3);
  const counts = { tests: results.length, failures, errors: 0, skipped, time };
  const suite = element(
    'testsuite',
    { name: meta.suiteName, ...counts, timestamp: meta.date.toISOString().slice(0, 19) },
    ...results.map((r) => `\n    ${testcase(r, `seprof.${meta.suiteName}`)}`),
    '\n  ',
  );
  return junitDocument(counts, suite);
}
