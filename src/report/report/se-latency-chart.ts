// The report's chart of --se-latency: per case, what SE adds to the model's time and SE's share
// of the layer time, each a point with its 95% interval as a whisker. Cases of a suite that
// vary r or the SE position read as SE's time against r or position. Apart from charts.ts,
// which draws the counts.
import type { Interval } from '../../analyzers/measured/interval';
import type { Chart } from './charts';
import type { CaseResult } from './document';
import { timedSe } from '../profile/se-latency';
import { GRID, INK, legend, line, MUTED, round, SERIES_COLORS, svgDocument, text } from './svg';
import { element, textElement } from '../xml';

const LEFT = 230;
const WIDTH = 520;
const ROW = 34;

const SERIES = [
  { label: 'SE adds (% of the SE-free twin\u2019s time)', color: SERIES_COLORS[0] ?? INK, pick: (i: { adds: Interval }) => i.adds },
  { label: 'SE time share (% of the layer-by-layer time)', color: SERIES_COLORS[1] ?? INK, pick: (i: { share: Interval }) => i.share },
] as const;

function truncate(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}\u2026`;
}

/** Ticks at a step of 1, 2 or 5 times a power of ten, about five over the range. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step / 1e6; t += step) out.push(Math.round(t / step) * step);
  return out;
}

export function seLatencyChart(results: readonly CaseResult[]): Chart | undefined {
  const rows = results.flatMap(({ name, profile }) => {
    const se = timedSe(profile);
    return se === undefined ? [] : [{ name, adds: se.addsRatio, share: se.layers.share }];
  });
  if (rows.length === 0) return undefined;
  const values = rows.flatMap((r) => [r.adds, r.share].flatMap((i) => [i.value, i.low, i.high])).filter(Number.isFinite);
  const [lo, hi] = [Math.min(0, ...values) * 100, Math.max(0, ...values) * 100];
  const span = hi - lo || 1;
  const x = (fraction: number): number => LEFT + ((fraction * 100 - lo) / span) * WIDTH;
  const title = 'What SE costs in time: each case against its SE-free twin, with 95% intervals';
  const key = legend(
    LEFT,
    74,
    WIDTH,
    SERIES.map(({ label, color }) => ({ label, color })),
  );
  const top = 74 + key.height + 8;
  const bottom = top + rows.length * ROW;
  const parts: string[] = [
    text(20, 28, title, { 'font-size': 17, 'font-weight': 'bold' }),
    text(20, 48, 'A point is the median, its whisker the 95% interval; intervals that overlap are the same within noise.', { fill: MUTED }),
    key.svg,
    ...ticks(lo, hi).flatMap((t) => {
      const tx = x(t / 100);
      return [
        line(tx, top - 4, tx, bottom, t === 0 ? INK : GRID),
        line(tx, bottom, tx, bottom + 5, INK),
        text(tx, bottom + 19, `${t}%`, { 'text-anchor': 'middle', fill: MUTED }),
      ];
    }),
    line(LEFT, bottom, LEFT + WIDTH, bottom, INK),
    text(LEFT + WIDTH / 2, bottom + 40, 'percent (SE adds: of the twin\u2019s forward or training step; share: of the layers\u2019 summed median times)', {
      'text-anchor': 'middle',
    }),
  ];
  rows.forEach((r, i) => {
    const y = top + i * ROW;
    parts.push(text(LEFT - 10, y + ROW / 2 + 4, truncate(r.name, 34), { 'text-anchor': 'end' }));
    SERIES.forEach(({ color, pick, label }, s) => {
      const interval = pick(r);
      const cy = y + ROW / 2 + (s === 0 ? -6 : 6);
      const tip = textElement(
        'title',
        {},
        `${r.name}: ${label} ${(interval.value * 100).toFixed(2)}% [${(interval.low * 100).toFixed(2)}, ${(interval.high * 100).toFixed(2)}]`,
      );
      if (Number.isFinite(interval.low)) parts.push(line(x(interval.low), cy, x(interval.high), cy, color, { 'stroke-width': 2 }));
      parts.push(element('circle', { cx: round(x(interval.value)), cy: round(cy), r: 4, fill: color }, tip));
    });
  });
  return { file: 'se-latency.svg', title, svg: svgDocument(LEFT + WIDTH + 40, bottom + 56, title, parts) };
}
