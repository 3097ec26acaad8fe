// compare --junit FILE: each compared quantity a test case and each regression a failing one,
// so that a JUnit dashboard goes red when the CI step does. Removed cases fail; added ones are
// skipped (not in the base, nothing to compare).
import type { Comparison, Delta } from './compare';
import { verdict } from './compare-render';
import { element, elementOf, junitDocument, textElement } from '../xml';

const CLASSNAME = 'seprof.compare';

function deltaCase(d: Delta): string {
  const moved = `${d.base} -> ${d.new}${d.change === '' ? '' : ` (${d.change}${d.percent === '' ? '' : `, ${d.percent}`})`}`;
  const failure = d.fails ? [textElement('failure', { message: `${d.quantity} ${d.status}: ${moved}`, type: 'Regression' }, moved)] : [];
  return element('testcase', { name: `${d.case}: ${d.quantity}`, classname: `${CLASSNAME}.${d.case}`, time: 0 }, ...failure);
}

const removedCase = (name: string): string =>
  element(
    'testcase',
    { name: `${name}: case`, classname: `${CLASSNAME}.${name}`, time: 0 },
    element('failure', { message: 'in the base, not in the new report', type: 'Removed' }),
  );

const addedCase = (name: string): string =>
  element(
    'testcase',
    { name: `${name}: case`, classname: `${CLASSNAME}.${name}`, time: 0 },
    element('skipped', { message: 'not in the base: nothing to compare' }),
  );

export function renderCompareJunit(c: Comparison): string {
  const testcases = [...c.deltas.map(deltaCase), ...c.removed.map(removedCase), ...c.added.map(addedCase)];
  const failures = c.deltas.filter((d) => d.fails).length + c.removed.length;
  const counts = { tests: testcases.length, failures, errors: 0, skipped: c.added.length, time: 0 };
  const children = testcases.map((t) => `\n    ${t}`);
  const suite = elementOf('testsuite', { name: 'compare', ...counts }, [
    ...children,
    '\n    ',
    textElement('system-out', {}, [verdict(c), ...c.summaries.map((s) => `${s.case}: ${s.text}`)].join('\n')),
    '\n  ',
  ]);
  return junitDocument(counts, suite);
}
