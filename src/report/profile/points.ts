// SE's cost at several insertion points: one row per point and a total, in every format (CSV's total on request).
import type { Profile } from '../../analyzers/profile';
import { totalsOf, type Totals } from '../../analyzers/count';
import { CONVENTION_KEYS } from '../../analyzers/conventions';
import { seWidth, type SeSettings } from '../../model/blocks';
import { describeVariant } from '../../model/se-variants';
import { hasSe, type Spec } from '../../model/spec';
import { columnHeader } from '../columns';
import { displayCount } from '../format';
import { jsonTotals, SCHEMA_VERSION } from './json';
import { alignRow, row } from '../markdown-syntax';
import type { RenderOptions } from '../render-options';
import { numbersAfter, textTable } from '../text-table';
import { jsonText } from '../text';

interface Point {
  label: string;
  hidden: number;
  profile: Profile;
}

/** An insertion point profiles an SE module: its spec has SE's settings. */
function seOf(spec: Spec): SeSettings {
  if (!hasSe(spec)) throw new Error(`an insertion point without SE: ${spec.block}`);
  return spec;
}

function pointsOf(profiles: readonly Profile[]): Point[] {
  return profiles.map((profile) => {
    const { channels, height, width } = profile.spec.input;
    return { label: `${channels}x${height}x${width}`, hidden: seWidth(channels, seOf(profile.spec)), profile };
  });
}

/** Sum over points: totals of every layer of every point. */
function grandTotals(profiles: readonly Profile[]) {
  return totalsOf(profiles.flatMap((p) => p.layers));
}

export function renderPoints(profiles: readonly Profile[], { format, columns, toolVersion, totalRow = false, counts: style, width }: RenderOptions): string {
  const shown = (n: bigint): string => displayCount(n, style);
  const points = pointsOf(profiles);
  const total = grandTotals(profiles);
  const first = profiles[0]?.spec;
  const se = first === undefined ? undefined : seOf(first);
  const variant = se?.variant === undefined ? '' : describeVariant(se.variant, se.reduction, se.bias);
  const settings =
    first === undefined || se === undefined ? '' : `SE r=${se.reduction}${variant === '' ? (se.bias ? ', bias' : '') : `, ${variant}`}, batch ${first.batch}`;
  const keys = format === 'csv' || format === 'json' ? CONVENTION_KEYS : columns;
  // As --units says for people, bare integers for CSV.
  const rowOf = (label: string, hidden: string, totals: Totals, check: string, n: (x: bigint) => string): string[] => [
    label,
    hidden,
    n(totals.params),
    ...keys.map((k) => n(totals.counts[k] ?? 0n)),
    check,
  ];
  const cells = (p: Point, n: (x: bigint) => string = shown): string[] => rowOf(p.label, String(p.hidden), p.profile.totals, p.profile.check.status, n);
  const totalCells = rowOf('Total', '', total, '', shown);
  const head = ['Point (CxHxW)', 'Hidden', 'Params', ...keys.map((key) => columnHeader(key)), 'Check'];
  switch (format) {
    case 'table':
      return `SE at ${points.length} insertion point(s), ${settings}\n${textTable(head, [...points.map((p) => cells(p)), totalCells], { rightAligned: numbersAfter(1), footer: 1, width })}\n`;
    case 'markdown':
      return [
        `### SE at ${points.length} insertion point(s), ${settings}`,
        '',
        row(head),
        alignRow(1, head.length - 1),
        ...points.map((p) => row(cells(p))),
        row(totalCells.map((c) => (c === '' ? c : `**${c}**`))),
        '',
      ].join('\n');
    case 'csv': {
      const lines = [
        ['point', 'hidden', 'params', ...keys, 'check'],
        ...points.map((p) => cells(p, String)),
        ...(totalRow ? [rowOf('total', '', total, '', String)] : []),
      ];
      return `${lines.map((l) => l.join(',')).join('\n')}\n`;
    }
    case 'json':
      return jsonText({
        schemaVersion: SCHEMA_VERSION,
        tool: { name: 'seprof', version: toolVersion },
        points: points.map((p) => ({
          spec: p.profile.spec,
          hidden: p.hidden,
          totals: jsonTotals(p.profile.totals),
          check: p.profile.check,
          backend: p.profile.measured?.backend ?? null,
        })),
        totals: jsonTotals(total),
      });
  }
}
