// SE's cost at several insertion points: one row per point and a total, in every format.
import type { Profile } from '../analyzers/profile';
import { totalsOf } from '../analyzers/count';
import { CONVENTION_KEYS } from '../analyzers/conventions';
import { hiddenWidth } from '../spec';
import { columnHeader } from './columns';
import { withCommas } from './format';
import { jsonTotals, SCHEMA_VERSION } from './json';
import { alignRow, row } from './markdown';
import type { RenderOptions } from './index';
import { drawTable } from './table';

interface Point {
  label: string;
  hidden: number;
  profile: Profile;
}

function pointsOf(profiles: readonly Profile[]): Point[] {
  return profiles.map((profile) => {
    const { channels, height, width } = profile.spec.input;
    return { label: `${channels}x${height}x${width}`, hidden: hiddenWidth(channels, profile.spec.reduction), profile };
  });
}

/** Sum over points: totals of every layer of every point. */
function grandTotals(profiles: readonly Profile[]) {
  return totalsOf(profiles.flatMap((p) => p.layers));
}

export function renderPoints(profiles: readonly Profile[], { format, columns, toolVersion }: RenderOptions): string {
  const points = pointsOf(profiles);
  const total = grandTotals(profiles);
  const first = profiles[0]?.spec;
  const settings = first === undefined ? '' : `SE r=${first.reduction}${first.bias ? ', bias' : ''}, batch ${first.batch}`;
  const keys = format === 'csv' || format === 'json' ? CONVENTION_KEYS : columns;
  const cells = (p: Point): string[] => [
    p.label,
    String(p.hidden),
    withCommas(p.profile.totals.params),
    ...keys.map((k) => withCommas(p.profile.totals.counts[k] ?? 0n)),
    p.profile.check.status,
  ];
  const totalCells = ['Total', '', withCommas(total.params), ...keys.map((k) => withCommas(total.counts[k] ?? 0n)), ''];
  const head = ['Point (CxHxW)', 'Hidden', 'Params', ...keys.map((key) => columnHeader(key)), 'Check'];
  switch (format) {
    case 'table':
      return `SE at ${points.length} insertion point(s), ${settings}\n${drawTable(head, [...points.map(cells), totalCells], 1, 1)}\n`;
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
      const exact = (p: Point): string[] => [
        p.label,
        String(p.hidden),
        String(p.profile.totals.params),
        ...keys.map((k) => String(p.profile.totals.counts[k] ?? 0n)),
        p.profile.check.status,
      ];
      const lines = [
        ['point', 'hidden', 'params', ...keys, 'check'],
        ...points.map(exact),
        ['total', '', String(total.params), ...keys.map((k) => String(total.counts[k] ?? 0n)), ''],
      ];
      return `${lines.map((l) => l.join(',')).join('\n')}\n`;
    }
    case 'json':
      return `${JSON.stringify(
        {
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
        },
        null,
        2,
      )}\n`;
  }
}
