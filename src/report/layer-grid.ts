// The layer table every human-readable format shows: one row per op, the gradient sums row
// with --training, and a total row. Each convention is a column; with --training a convention
// that counts a backward pass gets three: forward, backward and their sum.
import { backwardTable } from '../analyzers/backward';
import { GRADIENT_SUMS } from '../analyzers/backward/training';
import { formatShape } from '../analyzers/ops';
import type { Profile } from '../analyzers/profile';
import { columnHeader } from './columns';
import { withCommas } from './format';

interface CountColumn {
  header: string;
  /** One value per op, in op order. */
  layers: bigint[];
  /** The gradient sums row's value; undefined for a forward count. */
  gradientSums?: bigint;
  total: bigint;
}

export interface LayerGrid {
  head: string[];
  /** Whether each column holds numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
  total: string[];
}

function countColumns(profile: Profile, key: string): CountColumn[] {
  const { layers, totals, training } = profile;
  const forward = layers.map((layer) => layer.counts[key] ?? 0n);
  const column: CountColumn = { header: columnHeader(key), layers: forward, total: totals.counts[key] ?? 0n };
  if (training === undefined || backwardTable(key) === undefined) return [column];
  const backward = layers.map((_, i) => training.rows[i]?.counts[key] ?? 0n);
  const sums = training.rows.find((row) => row.name === GRADIENT_SUMS)?.counts[key];
  return [
    { ...column, header: columnHeader(key, 'fwd') },
    { header: columnHeader(key, 'bwd'), layers: backward, gradientSums: sums, total: training.backward[key] ?? 0n },
    { header: columnHeader(key, 'fwd+bwd'), layers: forward.map((n, i) => n + (backward[i] ?? 0n)), gradientSums: sums, total: training.total[key] ?? 0n },
  ];
}

export function layerGrid(profile: Profile, columns: readonly string[]): LayerGrid {
  const { layers, totals, training } = profile;
  const counts = columns.flatMap((key) => countColumns(profile, key));
  const rows = layers.map(({ op }, i) => [
    op.name,
    op.kind,
    formatShape(op.outputShape),
    withCommas(op.params),
    ...counts.map((c) => withCommas(c.layers[i] ?? 0n)),
  ]);
  if (training !== undefined && training.fanOuts.length > 0) {
    const shapes = training.fanOuts.map((f) => `${f.tensor} ${formatShape(f.shape)}`).join(', ');
    rows.push([GRADIENT_SUMS, 'add', shapes, '', ...counts.map((c) => (c.gradientSums === undefined ? '' : withCommas(c.gradientSums)))]);
  }
  return {
    head: ['Layer', 'Op', 'Output shape', 'Params', ...counts.map((c) => c.header)],
    numeric: [false, false, false, true, ...counts.map(() => true)],
    rows,
    total: ['Total', '', '', withCommas(totals.params), ...counts.map((c) => withCommas(c.total))],
  };
}
