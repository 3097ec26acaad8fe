// explain as GitHub markdown: a section per op kind, then totals, differences and blind spots.
import { alignRow, row } from '../markdown-syntax';
import type { ConventionKey } from '../../analyzers/conventions';
import { backwardTable } from '../../analyzers/backward';
import { countEntries } from '../../analyzers/count';
import type { Explanation, RuleUse } from '../../analyzers/explain';
import { trainingView } from '../profile/training-view';
import { describeSpec } from '../../model/spec';
import { columnHeader } from '../columns';
import { displayCount, withCommas, type CountStyle } from '../format';
import { checkLine } from '../profile/summary';
import { forwardOnly, opsOf, ruleText, signed, withUnit } from './words';
import { oneLine } from '../text';

function ruleRows(uses: readonly RuleUse[], pass: string, shown: (n: bigint) => string): string[] {
  return uses.map((u) => row([`\`${u.key}\``, pass, shown(u.count), ruleText(u)]));
}

/** The per-kind counts and the totals table as --units shows counts; the differences stay exact. */
export function renderExplainMarkdown(explanation: Explanation, style?: CountStyle): string {
  const { profile, keys, kinds, differences, leftOut, blindSpots, reference } = explanation;
  const shown = (n: bigint): string => displayCount(n, style);
  const { training, totals } = profile;
  const lines = [`### ${oneLine(describeSpec(profile.spec))}: what each convention counts`, ''];
  for (const kind of kinds) {
    lines.push(`#### ${kind.kind}`, '', opsOf(kind), '', row(['Convention', 'Pass', 'Count', 'Rule']), row(['---', '---', '---:', '---']));
    lines.push(...ruleRows(kind.forward, 'forward', shown), ...ruleRows(kind.backward, 'backward', shown), '');
  }
  if (training !== undefined) {
    const sums = trainingView(training).gradientSums;
    for (const fan of training.fanOuts)
      lines.push(`- Gradient sum: \`${fan.tensor}\` is read by ${fan.readers.map((r) => `\`${r}\``).join(' and ')}, so its gradients are added.`);
    const explained = countEntries(sums ?? {}).filter(([key]) => keys.includes(key));
    lines.push(...explained.map(([key, n]) => `  - \`${key}\` backward: ${shown(n)}`));
    lines.push(...forwardOnly(keys).map(([key, why]) => `- \`${key}\`: ${why}`));
    lines.push('');
  }
  lines.push('#### Totals by op kind', '', row(['Op kind', ...keys.map((k) => columnHeader(k))]), alignRow(1, keys.length));
  lines.push(...kinds.map((k) => row([k.kind, ...k.forward.map((u) => shown(u.count))])));
  lines.push(row(['**Total**', ...keys.map((k) => `**${shown(totals.counts[k] ?? 0n)}**`)]));
  if (training !== undefined) {
    const orDash = (n: bigint | undefined, key: ConventionKey): string => (backwardTable(key) === undefined ? '-' : shown(n ?? 0n));
    lines.push(row(['Backward', ...keys.map((k) => orDash(training.backward[k], k))]));
    lines.push(row(['Forward + backward', ...keys.map((k) => orDash(training.total[k], k))]));
  }
  lines.push('', `#### Differences from \`${reference}\``, '');
  for (const d of differences) {
    lines.push(`- \`${d.key}\`: ${withUnit(d.total, d.key)} vs ${withUnit(d.referenceTotal, reference)} (${signed(d.delta)})`);
    lines.push(...d.byKind.map((k) => `  - ${k.kind} ${signed(k.delta)}: \`${d.key}\` ${ruleText(k.rule)}; \`${reference}\` ${ruleText(k.referenceRule)}`));
  }
  lines.push('', '#### Left out (counted 0)', '');
  lines.push(
    ...Object.entries(leftOut).map(([key, list]) => `- \`${key}\`: ${list.length === 0 ? 'nothing' : list.map((u) => `${u.kind} (${u.rule})`).join('; ')}`),
  );
  if (blindSpots.length > 0) {
    const spots = blindSpots.map(
      (s) =>
        `${s.kind} (${Object.entries(s.counts)
          .map(([key, n]) => `\`${key}\` ${withCommas(n)}`)
          .join(', ')})`,
    );
    lines.push(`- Counted by no public counter: ${spots.join(', ')}`);
  }
  lines.push(
    '',
    `Check: ${checkLine(profile)}`,
    ...profile.check.mismatches.map((m) => `- \`${m.layer}\` ${m.quantity}: analytic ${m.analytic}, measured ${m.measured}`),
    '',
  );
  return lines.join('\n');
}
