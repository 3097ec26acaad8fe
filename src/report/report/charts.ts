// The report's charts: params and MACs against the reduction ratio, and each case's cost by op kind.
import { conventionByKey, type ConventionKey } from '../../analyzers/conventions';
import { OP_KINDS, type OpKind } from '../../analyzers/ops';
import { KINDS } from '../../model/kinds';
import { columnHeader } from '../columns';
import type { CaseResult } from './document';
import { withCommas } from '../format';
import { compactNumber, GRID, INK, legend, line, logTicks, MUTED, round, SERIES_COLORS, svgDocument, text } from './svg';
import { element, elementOf, textElement } from '../xml';

export interface Chart {
  file: string;
  title: string;
  svg: string;
}

// ---------- params and MACs against r ----------

interface Point {
  reduction: number;
  params: bigint;
  macs: bigint;
  name: string;
}

interface Group {
  label: string;
  points: Point[];
}

type Leaves = [string, unknown][];

/** A spec's scalar fields by their last key: {input: {channels: 8}} gives channels=8. */
function leaves(value: unknown): Leaves {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]): Leaves => (typeof v === 'object' && v !== null ? leaves(v) : [[k, v]]));
}

/** Cases that differ only in the reduction ratio, grouped; groups of two ratios or more. */
function reductionGroups(results: readonly CaseResult[], macsKey: ConventionKey): Group[] {
  const byRest = new Map<string, { rest: object; points: Point[] }>();
  for (const { name, profile } of results) {
    const { reduction, ...rest } = profile.spec as { reduction?: unknown };
    if (typeof reduction !== 'number') continue; // a spec without SE has no ratio
    const key = JSON.stringify(rest);
    const group = byRest.get(key) ?? { rest, points: [] as Point[] };
    byRest.set(key, group);
    if (group.points.some((p) => p.reduction === reduction)) continue;
    group.points.push({ reduction, params: profile.totals.params, macs: profile.totals.counts[macsKey] ?? 0n, name });
  }
  const kept = [...byRest.values()].filter((g) => g.points.length >= 2);
  // Name each group by what sets it apart from the others (by everything when it is alone).
  const all = kept.map((g) => leaves(g.rest));
  const differing = new Set(all.flatMap((ls) => ls.filter(([k, v]) => all.some((other) => other.find(([ok]) => ok === k)?.[1] !== v)).map(([k]) => k)));
  return kept.map((g, i) => ({
    label: (all[i] ?? [])
      .filter(([k]) => kept.length === 1 || differing.has(k))
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', '),
    points: g.points.sort((a, b) => a.reduction - b.reduction),
  }));
}

interface Scale {
  at(value: number): number;
  ticks: number[];
}

/** A log scale over the values, padded so that no point sits on the frame. */
function logScale(values: readonly number[], from: number, to: number): Scale {
  const lo = values.reduce((a, b) => Math.min(a, b), Infinity) / 1.4;
  const hi = values.reduce((a, b) => Math.max(a, b), -Infinity) * 1.4;
  const at = (v: number): number => from + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (to - from);
  return { at, ticks: logTicks(lo, hi) };
}

/** A linear scale from 0, for values a log axis cannot show (a zero count); headroom for the labels. */
function linearScale(values: readonly number[], from: number, to: number): Scale {
  const max = values.reduce((a, b) => Math.max(a, b), 1) * 1.12;
  const step = [1, 2, 5].map((m) => m * 10 ** Math.floor(Math.log10(max / 5))).find((s) => max / s <= 6) ?? 10 ** Math.ceil(Math.log10(max / 5));
  const top = Math.ceil(max / step) * step;
  return { at: (v) => from + (v / top) * (to - from), ticks: Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step) };
}

const PLOT = { top: 92, height: 240, width: 340, gap: 110, left: 84 };

function panel(
  index: number,
  title: string,
  axisLabel: string,
  groups: readonly Group[],
  value: (p: Point) => bigint,
  x: Scale,
  ratios: readonly number[],
): string {
  const left = PLOT.left + index * (PLOT.width + PLOT.gap);
  const [top, bottom, right] = [PLOT.top, PLOT.top + PLOT.height, left + PLOT.width];
  const values = groups.flatMap((g) => g.points.map((p) => Number(value(p))));
  const logFits = values.every((v) => v > 0);
  const y = (logFits ? logScale : linearScale)(values, bottom, top);
  const px = (r: number): number => left + x.at(r) * PLOT.width;
  const parts: string[] = [
    text(left + PLOT.width / 2, top - 14, title, { 'text-anchor': 'middle', 'font-size': 14, 'font-weight': 'bold' }),
    ...y.ticks.flatMap((t) => [
      line(left, y.at(t), right, y.at(t), GRID),
      text(left - 8, y.at(t) + 4, compactNumber(t), { 'text-anchor': 'end', fill: MUTED }),
    ]),
    ...ratios.flatMap((r) => [line(px(r), bottom, px(r), bottom + 5, INK), text(px(r), bottom + 19, String(r), { 'text-anchor': 'middle', fill: MUTED })]),
    line(left, top, left, bottom, INK),
    line(left, bottom, right, bottom, INK),
    text(left + PLOT.width / 2, bottom + 40, 'reduction ratio r, log scale', { 'text-anchor': 'middle' }),
    text(0, 0, `${axisLabel}${logFits ? ', log scale' : ''}`, {
      'text-anchor': 'middle',
      transform: `translate(${round(left - 62)} ${round((top + bottom) / 2)}) rotate(-90)`,
    }),
  ];
  groups.forEach((group, gi) => {
    const color = SERIES_COLORS[gi % SERIES_COLORS.length] ?? INK;
    const points = group.points.map((p) => [px(p.reduction), y.at(Number(value(p)))] as const);
    parts.push(element('polyline', { points: points.map(([a, b]) => `${round(a)},${round(b)}`).join(' '), fill: 'none', stroke: color, 'stroke-width': 2 }));
    group.points.forEach((p, pi) => {
      const [cx, cy] = points[pi] ?? [0, 0];
      const tip = textElement('title', {}, `${p.name}: r=${p.reduction}, ${withCommas(value(p))} ${axisLabel}`);
      parts.push(element('circle', { cx: round(cx), cy: round(cy), r: 4, fill: '#fff', stroke: color, 'stroke-width': 2 }, tip));
      // Value labels while they stay legible: above the first series, below the second.
      if (groups.length <= 2) {
        parts.push(text(cx, gi === 0 ? cy - 9 : cy + 18, compactNumber(Number(value(p))), { 'text-anchor': 'middle', 'font-size': 10, fill: color }));
      }
    });
  });
  return elementOf('g', { class: `panel-${index}` }, parts);
}

export function reductionChart(results: readonly CaseResult[], macsKey: ConventionKey): Chart | undefined {
  const groups = reductionGroups(results, macsKey);
  if (groups.length === 0) return undefined;
  const ratios = [...new Set(groups.flatMap((g) => g.points.map((p) => p.reduction)))].sort((a, b) => a - b);
  const [lo, hi] = [Math.log2(ratios[0] ?? 1) - 0.35, Math.log2(ratios.at(-1) ?? 1) + 0.35];
  const x: Scale = { at: (r) => (Math.log2(r) - lo) / (hi - lo), ticks: ratios };
  const macsHeader = columnHeader(macsKey);
  const title = `Params and ${macsHeader} against the reduction ratio r`;
  const width = PLOT.left * 2 + PLOT.width * 2 + PLOT.gap - 20;
  const key = legend(
    PLOT.left,
    PLOT.top + PLOT.height + 78,
    width - PLOT.left * 2,
    groups.map((g, i) => ({ label: g.label, color: SERIES_COLORS[i % SERIES_COLORS.length] ?? INK })),
  );
  const body = [
    text(PLOT.left - 60, 28, title, { 'font-size': 17, 'font-weight': 'bold' }),
    text(PLOT.left - 60, 48, 'Cases of the suite that differ only in r, one line per shape. The hidden width is floor(C / r).', { fill: MUTED }),
    panel(0, 'Params', 'params', groups, (p) => p.params, x, ratios),
    panel(1, macsHeader, macsHeader, groups, (p) => p.macs, x, ratios),
    key.svg,
  ];
  return { file: 'params-macs-vs-reduction.svg', title, svg: svgDocument(width, PLOT.top + PLOT.height + 78 + key.height + 6, title, body) };
}

// ---------- each case's cost by op kind ----------

function costByKind(result: CaseResult, key: ConventionKey): Map<OpKind, bigint> {
  const byKind = new Map<OpKind, bigint>();
  for (const { op, counts } of result.profile.layers) byKind.set(op.kind, (byKind.get(op.kind) ?? 0n) + (counts[key] ?? 0n));
  return byKind;
}

/** Label ink that reads on a fill: dark on light colours, white on dark ones. */
function inkOn(fill: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(fill.slice(i, i + 2), 16)) as [number, number, number];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? INK : '#fff';
}

const BAR = { left: 210, width: 520, row: 28, height: 18 };

function truncate(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

export function opSplitChart(results: readonly CaseResult[], key: ConventionKey): Chart | undefined {
  if (results.length === 0) return undefined;
  const unit = conventionByKey(key)?.unit ?? 'count';
  const splits = results.map((r) => ({ name: r.name, byKind: costByKind(r, key), total: r.profile.totals.counts[key] ?? 0n }));
  const kinds = OP_KINDS.filter((kind) => splits.some((s) => (s.byKind.get(kind) ?? 0n) > 0n));
  const width = BAR.left + BAR.width + 130;
  const title = `Where the ${unit} go: each case's ${unit} (${key}) split by op kind`;
  const key_ = legend(
    BAR.left,
    74,
    BAR.width + 100,
    kinds.map((kind) => ({ label: kind, color: KINDS[kind].colour })),
  );
  const top = 74 + key_.height + 8;
  const bottom = top + splits.length * BAR.row;
  const parts: string[] = [
    text(20, 28, title, { 'font-size': 17, 'font-weight': 'bold' }),
    text(20, 48, 'Share of each case\u2019s total; the total is at the end of each bar. Op kinds that cost nothing are left out.', { fill: MUTED }),
    key_.svg,
    ...[0, 25, 50, 75, 100].flatMap((pct) => {
      const x = BAR.left + (pct / 100) * BAR.width;
      return [
        line(x, top - 4, x, bottom, GRID),
        line(x, bottom, x, bottom + 5, INK),
        text(x, bottom + 19, `${pct}%`, { 'text-anchor': 'middle', fill: MUTED }),
      ];
    }),
    line(BAR.left, bottom, BAR.left + BAR.width, bottom, INK),
    text(BAR.left + BAR.width / 2, bottom + 40, `share of the case's ${unit} (${key} convention)`, { 'text-anchor': 'middle' }),
  ];
  splits.forEach((split, i) => {
    const y = top + i * BAR.row + (BAR.row - BAR.height) / 2;
    parts.push(text(BAR.left - 10, y + 13, truncate(split.name, 30), { 'text-anchor': 'end' }));
    let x = BAR.left;
    for (const kind of kinds) {
      const n = split.byKind.get(kind) ?? 0n;
      if (n === 0n || split.total === 0n) continue;
      const share = Number(n) / Number(split.total);
      const w = share * BAR.width;
      const tip = textElement('title', {}, `${split.name}: ${kind} ${withCommas(n)} ${unit} (${(share * 100).toFixed(1)}%)`);
      parts.push(element('rect', { x: round(x), y: round(y), width: round(w), height: BAR.height, fill: KINDS[kind].colour }, tip));
      if (w >= 34)
        parts.push(text(x + w / 2, y + 13, `${Math.round(share * 100)}%`, { 'text-anchor': 'middle', 'font-size': 10, fill: inkOn(KINDS[kind].colour) }));
      x += w;
    }
    parts.push(text(BAR.left + BAR.width + 8, y + 13, `${compactNumber(Number(split.total))} ${unit}`, { fill: MUTED }));
  });
  return { file: 'cost-by-op-kind.svg', title, svg: svgDocument(width, bottom + 56, title, parts) };
}

/** Every chart the cases allow: the MACs column's convention against r, and flops (every op counted) by kind. */
export function reportCharts(results: readonly CaseResult[], macsKey: ConventionKey): Chart[] {
  return [reductionChart(results, macsKey), opSplitChart(results, 'flops')].filter((c): c is Chart => c !== undefined);
}
