// What profiling a model file found: notes (BN folded, assumed shapes), ops counted as
// zero, and the SE blocks with their share of params and of every convention shown.
import type { ConventionKey } from '../../analyzers/conventions';
import type { Totals } from '../../analyzers/count';
import type { FileFindings, Profile } from '../../analyzers/profile';
import { columnHeader } from '../columns';
import { displayCount, type CountStyle } from '../format';
import { share } from './rows';
import { oneLine } from '../text';

const SE_HEAD = ['SE block', 'C', 'Hidden', 'r', 'Gate', 'Params'];

/** Lines of prose: notes, and every op counted as zero, by op type. */
export function findingLines(file: FileFindings): string[] {
  const lines = file.notes.map((note) => `Note: ${note}`);
  for (const u of file.unsupported) {
    lines.push(`Not counted: ${u.opType} x${u.nodes.length} (${u.nodes.slice(0, 3).join(', ')}${u.nodes.length > 3 ? ', ...' : ''}): seprof has no op kind for it; counted as 0 (--strict refuses)`);
  }
  if (file.seBlocks.length === 0) lines.push('SE blocks found: none');
  return lines.map(oneLine); // notes quote the model's node names
}

function sum(totals: readonly Totals[], pick: (t: Totals) => bigint): bigint {
  return totals.reduce((n, t) => n + pick(t), 0n);
}

/** One row per SE block, then SE's share of the model: params and each column, as --units shows counts. */
export function seRows(profile: Profile, columns: readonly ConventionKey[], style?: CountStyle): { head: string[]; rows: string[][] } {
  const shown = (n: bigint): string => displayCount(n, style);
  const blocks = profile.file?.seBlocks ?? [];
  const head = [...SE_HEAD, ...columns.map((key) => columnHeader(key))];
  const rows = blocks.map(({ block, totals }) => [
    block.where,
    String(block.channels),
    String(block.hidden),
    Number.isInteger(block.reduction) ? String(block.reduction) : block.reduction.toFixed(2),
    `${block.gate}${block.bias ? ', bias' : ''}`,
    shown(totals.params),
    ...columns.map((key) => shown(totals.counts[key] ?? 0n)),
  ]);
  const all = blocks.map((b) => b.totals);
  const params = sum(all, (t) => t.params);
  rows.push([
    `SE share (${blocks.length} block${blocks.length === 1 ? '' : 's'})`, '', '', '', '',
    `${shown(params)} (${share(params, profile.totals.params)})`,
    ...columns.map((key) => {
      const n = sum(all, (t) => t.counts[key] ?? 0n);
      return `${shown(n)} (${share(n, profile.totals.counts[key] ?? 0n)})`;
    }),
  ]);
  return { head, rows };
}
