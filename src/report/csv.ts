// CSV: one row per layer and a total row, every convention as a column, exact integers.
import type { Profile } from '../analyzers/profile';
import { CONVENTION_KEYS } from '../analyzers/conventions';
import { formatShape } from '../analyzers/ops';

export function field(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function renderCsv(profile: Profile): string {
  const { layers, totals } = profile;
  const rows: string[][] = [
    ['layer', 'op', 'output_shape', 'params', 'buffers', ...CONVENTION_KEYS],
    ...layers.map(({ op, counts }) => [
      op.name,
      op.kind,
      formatShape(op.outputShape),
      String(op.params),
      String(op.buffers),
      ...CONVENTION_KEYS.map((k) => String(counts[k] ?? 0n)),
    ]),
    ['total', '', '', String(totals.params), String(totals.buffers), ...CONVENTION_KEYS.map((k) => String(totals.counts[k] ?? 0n))],
  ];
  return rows.map((r) => r.map(field).join(',')).join('\n') + '\n';
}
