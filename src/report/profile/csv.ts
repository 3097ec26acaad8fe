// CSV: one row per layer, every convention as a column, exact integers; a total row only on
// request (--total-row), so that summing a column counts each layer once. With --depth N, one
// row per module N deep instead (the tree cut there, parents left out: the sums still hold).
// With --training, `<key>_backward` and `<key>_total` columns and a gradient sums row.
import type { Profile } from '../../analyzers/profile';
import { BACKWARD_KEYS, sumCounts } from '../../analyzers/backward';
import { CONVENTION_KEYS, type ConventionKey } from '../../analyzers/conventions';
import type { Counts } from '../../analyzers/count';
import { formatShape } from '../../analyzers/ops';
import { oneLine } from '../text';
import { cutRows, layerRows } from './rows';
import { GRADIENT_SUMS_LABEL, trainingView } from './training-view';

/** One CSV field, on one line whatever the name holds (a log prints CSV line by line). */
export function field(value: string): string {
  const text = oneLine(value);
  return /[",]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const values = (counts: Counts | undefined, keys: readonly ConventionKey[]): string[] => keys.map((k) => (counts === undefined ? '' : String(counts[k] ?? 0n)));

export function renderCsv(profile: Profile, { totalRow = false, depth }: { totalRow?: boolean | undefined; depth?: number | undefined } = {}): string {
  const { layers, totals, training } = profile;
  const backwardKeys = training === undefined ? [] : BACKWARD_KEYS;
  /** Backward and forward + backward columns of one row. */
  const trainingCells = (backward: Counts | undefined, forward: Counts | undefined): string[] =>
    backward === undefined ? [] : [...values(backward, backwardKeys), ...values(sumCounts([backward, forward ?? {}]), backwardKeys)];
  const view = training && trainingView(training);
  const sums = view?.gradientSums;
  const totalCells = [
    'total',
    '',
    '',
    String(totals.params),
    String(totals.buffers),
    ...values(totals.counts, CONVENTION_KEYS),
    ...(training === undefined ? [] : [...values(training.backward, backwardKeys), ...values(training.total, backwardKeys)]),
  ];
  const rows: string[][] = [
    [
      'layer',
      'op',
      'output_shape',
      'params',
      'buffers',
      ...CONVENTION_KEYS,
      ...backwardKeys.map((k) => `${k}_backward`),
      ...backwardKeys.map((k) => `${k}_total`),
    ],
    ...(depth === undefined ? layerRows(layers, { backward: view?.byOp }) : cutRows(layers, depth, { backward: view?.byOp })).map((row) => [
      row.name,
      row.what,
      formatShape(row.outputShape),
      String(row.params),
      String(row.buffers),
      ...values(row.counts, CONVENTION_KEYS),
      ...trainingCells(row.backward, row.counts),
    ]),
    ...(sums === undefined ? [] : [[GRADIENT_SUMS_LABEL, 'add', '', '', '', ...values(undefined, CONVENTION_KEYS), ...trainingCells(sums, undefined)]]),
    ...(totalRow ? [totalCells] : []),
  ];
  return `${rows.map((r) => r.map(field).join(',')).join('\n')}\n`;
}
