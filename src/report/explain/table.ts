// explain for the terminal: per op kind the rules and counts, totals, differences, blind spots.
import type { ConventionKey } from '../../analyzers/conventions';
import { backwardTable } from '../../analyzers/backward';
import { countEntries } from '../../analyzers/count';
import type { Explanation, RuleUse } from '../../analyzers/explain';
import { columnHeader } from '../columns';
import { displayCount, withCommas, type CountStyle } from '../format';
import { checkLine } from '../profile/summary';
import { describeSpec } from '../../model/spec';
import { numbersAfter, textTable } from '../text-table';
import { trainingView } from '../profile/training-view';
import { forwardOnly, opsOf, ruleText, signed, withUnit } from './words';
import { oneLine } from '../text';

/** A count as --units shows it: exact with commas unless asked. */
type Shown = (n: bigint) => string;

function ruleLines(uses: readonly RuleUse[], suffix: string, countWidth: number, shown: Shown): string[] {
  return uses.map((u) => `  ${`${u.key}${suffix}`.padEnd(17)}${shown(u.count).padStart(countWidth)}  ${ruleText(u)}`);
}

function totalsTable({ profile, keys, kinds }: Explanation, width: number | undefined, shown: Shown): string {
  const { training, totals } = profile;
  const rows = [...kinds.map((kind) => [kind.kind, ...kind.forward.map((u) => shown(u.count))]), ['Total', ...keys.map((k) => shown(totals.counts[k] ?? 0n))]];
  if (training !== undefined) {
    const orDash = (n: bigint | undefined, key: ConventionKey) => (backwardTable(key) === undefined ? '-' : shown(n ?? 0n));
    rows.push(['Backward', ...keys.map((k) => orDash(training.backward[k], k))], ['Forward + backward', ...keys.map((k) => orDash(training.total[k], k))]);
  }
  const head = ['Op kind', ...keys.map((k) => columnHeader(k))];
  return textTable(head, rows, { rightAligned: numbersAfter(1), footer: training === undefined ? 1 : 3, width });
}

function trainingLines({ profile, keys }: Explanation, countWidth: number, shown: Shown): string[] {
  const { training } = profile;
  if (training === undefined) return [];
  const sums = trainingView(training).gradientSums;
  const fans = training.fanOuts.map((fan) =>
    oneLine(`gradient sum: ${fan.tensor} is read by ${fan.readers.join(' and ')}, so its ${fan.readers.length} gradients are added`),
  );
  const counts = countEntries(sums ?? {})
    .filter(([key]) => keys.includes(key))
    .map(([key, n]) => `  ${`${key} backward`.padEnd(17)}${shown(n).padStart(countWidth)}`);
  return [...fans, ...counts, '', ...forwardOnly(keys).map(([key, why]) => `${key}: ${why}`), ''];
}

function differenceLines({ differences, reference }: Explanation, countWidth: number): string[] {
  return [
    `Differences from ${reference}, by op kind`,
    ...differences.flatMap((d) => [
      `  ${d.key}: ${withUnit(d.total, d.key)} vs ${withUnit(d.referenceTotal, reference)} (${signed(d.delta)})`,
      ...d.byKind.map(
        (k) =>
          `    ${k.kind.padEnd(16)}${signed(k.delta).padStart(countWidth + 1)}  ${d.key}: ${ruleText(k.rule)} | ${reference}: ${ruleText(k.referenceRule)}`,
      ),
    ]),
  ];
}

function leftOutLines({ leftOut, blindSpots }: Explanation): string[] {
  const lines = [
    'Left out (counted 0)',
    ...Object.entries(leftOut).map(([key, kinds]) => `  ${key.padEnd(14)}${kinds.length === 0 ? 'nothing' : kinds.map((k) => k.kind).join(', ')}`),
  ];
  if (blindSpots.length > 0) {
    const spots = blindSpots.map(
      (s) =>
        `${s.kind} (${Object.entries(s.counts)
          .map(([key, n]) => `${key} ${withCommas(n)}`)
          .join(', ')})`,
    );
    lines.push(`Counted by no public counter: ${spots.join(', ')}`);
  }
  return lines;
}

/** The per-kind counts and the totals table as --units shows counts; the differences stay exact. */
export function renderExplainTable(explanation: Explanation, width?: number, style?: CountStyle): string {
  const { profile, kinds } = explanation;
  const shown: Shown = (n) => displayCount(n, style);
  const widest = (show: Shown): number => Math.max(...kinds.flatMap((k) => [...k.forward, ...k.backward].map((u) => show(u.count).length)));
  const countWidth = widest(shown);
  const backend = profile.measured?.backend;
  return [
    `${oneLine(describeSpec(profile.spec))}: what each convention counts`,
    '',
    ...kinds.flatMap((kind) => [
      `${kind.kind}: ${opsOf(kind)}`,
      ...ruleLines(kind.forward, '', countWidth, shown),
      ...ruleLines(kind.backward, ' backward', countWidth, shown),
      '',
    ]),
    ...trainingLines(explanation, countWidth, shown),
    'Totals by op kind',
    totalsTable(explanation, width, shown),
    '',
    ...differenceLines(explanation, widest(withCommas)),
    '',
    ...leftOutLines(explanation),
    '',
    ...(backend === undefined ? [] : [`Backend: ${backend.name} (tfjs ${backend.tfjsVersion})`]),
    `Check: ${checkLine(profile)}`,
    ...profile.check.mismatches.map((m) => `  ${m.layer}: ${m.quantity} analytic ${m.analytic}, measured ${m.measured}`),
    '',
  ].join('\n');
}
