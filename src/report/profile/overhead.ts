// What SE adds to a block: plain twin, with SE, added, and added as a percent of plain.
import type { ConventionKey } from '../../analyzers/conventions';
import type { Overhead, Profile } from '../../analyzers/profile';
import type { Totals } from '../../analyzers/count';
import { displayCount, percent, type CountStyle } from '../format';

export interface OverheadRow {
  quantity: string;
  plain: bigint;
  withSe: bigint;
  added: bigint;
}

/** Params, then one row per convention key given. */
export function overheadRows(overhead: Overhead, totals: Totals, keys: readonly ConventionKey[]): OverheadRow[] {
  const row = (quantity: string, pick: (t: Totals) => bigint): OverheadRow => ({
    quantity,
    plain: pick(overhead.plainTotals),
    withSe: pick(totals),
    added: pick(overhead.added),
  });
  return [row('params', (t) => t.params), ...keys.map((key) => row(key, (t) => t.counts[key] ?? 0n))];
}

/** `+2.49%`, exact to two decimals; `n/a` when the plain block has none of it. */
export function percentOf(added: bigint, plain: bigint): string {
  if (plain === 0n) return added === 0n ? '0.00%' : 'n/a';
  return `${added >= 0n ? '+' : ''}${percent(added, plain)}`;
}

/** The counts as --units shows them (exact by default); the percent stays exact. */
export function overheadCells(row: OverheadRow, style?: CountStyle): string[] {
  const shown = (n: bigint): string => displayCount(n, style);
  return [row.quantity, shown(row.plain), shown(row.withSe), shown(row.added), percentOf(row.added, row.plain)];
}

/** The columns: the baseline, with SE, and the difference; with --add-se the baseline is the file as given. */
export function overheadHead({ baseline }: Overhead): string[] {
  if (baseline === 'as-given') return ['Quantity', 'As given', 'With added SE', 'Added SE adds', 'Added SE adds %'];
  return ['Quantity', 'Without SE', 'With SE', 'SE adds', 'SE adds %'];
}

export function overheadTitle({ overhead }: Profile): string {
  const plain = overhead?.plain;
  if (overhead?.baseline === 'as-given' && plain?.block === 'file') return `Added SE: against ${plain.file} as given (analytic)`;
  if (plain?.block === 'file') return `SE overhead: against ${plain.file}, the same model without SE (analytic)`;
  const twin = plain?.block === 'network' ? `--model ${plain.model}, the same network` : `--block ${plain?.block}, the same block`;
  return `SE overhead: against ${twin} without SE (analytic)`;
}
