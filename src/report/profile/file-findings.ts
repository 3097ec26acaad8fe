// What profiling a model file found: notes (BN folded, assumed shapes), ops counted as
// zero, and the SE blocks with their share of params and of every convention shown.
import type { ConventionKey } from '../../analyzers/conventions';
import type { Totals } from '../../analyzers/count';
import type { FileFindings, Profile, YoloSummary } from '../../analyzers/profile';
import { columnHeader } from '../columns';
import { displayCount, withCommas, type CountStyle } from '../format';
import { share } from './rows';
import { oneLine } from '../text';

const SE_HEAD = ['SE block', 'C', 'Hidden', 'r', 'Gate', 'Params'];

/** Lines of prose: notes, and every op counted as zero, by op type. */
export function findingLines(file: FileFindings): string[] {
  const lines = file.notes.map((note) => `Note: ${note}`);
  for (const u of file.unsupported) {
    lines.push(
      `Not counted: ${u.opType} x${u.nodes.length} (${u.nodes.slice(0, 3).join(', ')}${u.nodes.length > 3 ? ', ...' : ''}): seprof has no op kind for it; counted as 0 (--strict refuses)`,
    );
  }
  if (file.yolo !== undefined) lines.push(...yoloLines(file.yolo));
  if (file.seBlocks.length === 0) lines.push('SE blocks found: none');
  return lines.map(oneLine); // notes quote the model's node names
}

/** YOLO's summary figure, the plain twin's, and where it misstates what an SE block costs. */
function yoloLines({ stride, figure, plain, seBlocks }: YoloSummary): string[] {
  const twin = plain === undefined ? '' : `; ${plain.baseline === 'as-given' ? 'as given' : 'without its SE blocks'}: ${plain.gflops} GFLOPs`;
  const lines = [
    `YOLO summary: ${figure.gflops} GFLOPs (YOLOv9's and Ultralytics' model_info: thop at 1x3x${stride}x${stride}, ${withCommas(BigInt(Math.round(figure.thopAtStride)))} MACs, x 2, scaled by the image area over ${stride}x${stride})${twin}`,
  ];
  for (const b of seBlocks) {
    if (b.atImage === 0 || b.summary <= b.atImage) continue;
    lines.push(
      `Note: YOLO's summary overstates what SE block ${b.where} costs: it counts ${withCommas(BigInt(Math.round(b.summary)))} FLOPs for it (its thop at ${stride}x${stride}, scaled by the image area), ${(b.summary / b.atImage).toFixed(1)} times the ${withCommas(BigInt(Math.round(b.atImage)))} (2 x thop) it costs at this input: SE's pooled features and FC layers do not grow with the image`,
    );
  }
  return lines;
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
    `SE share (${blocks.length} block${blocks.length === 1 ? '' : 's'})`,
    '',
    '',
    '',
    '',
    `${shown(params)} (${share(params, profile.totals.params)})`,
    ...columns.map((key) => {
      const n = sum(all, (t) => t.counts[key] ?? 0n);
      return `${shown(n)} (${share(n, profile.totals.counts[key] ?? 0n)})`;
    }),
  ]);
  return { head, rows };
}
