// Hand-written SVG: a document, axes with ticks, a legend, and number labels. No chart library.
import { element, elementOf, textElement, type Attrs } from '../xml';

export const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
export const INK = '#222';
export const MUTED = '#666';
export const GRID = '#e3e3e3';

/** Colour-blind-safe series colours (Okabe and Ito). */
export const SERIES_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000', '#F0E442'];

export function svgDocument(width: number, height: number, title: string, body: readonly string[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    elementOf(
      'svg',
      { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}`, 'font-family': FONT, 'font-size': 12, fill: INK, role: 'img' },
      [textElement('title', {}, title), element('rect', { width, height, fill: '#ffffff' }), ...body],
    ) +
    '\n'
  );
}

export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return textElement('text', { x: round(x), y: round(y), ...attrs }, content);
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, attrs: Attrs = {}): string {
  return element('line', { x1: round(x1), y1: round(y1), x2: round(x2), y2: round(y2), stroke, ...attrs });
}

/** Two decimals are plenty for pixels and keep the files small. */
export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Axis labels: 65.5K, 1.5M, 250 (three significant digits at most). */
export function compactNumber(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [unit, suffix] of units) {
    if (Math.abs(n) >= unit) return `${Number((n / unit).toPrecision(3))}${suffix}`;
  }
  return String(Number(n.toPrecision(3)));
}

/** Ticks for a log axis over [lo, hi]: 1-2-5 steps, thinned to decades when there are many. */
export function logTicks(lo: number, hi: number): number[] {
  const candidates: { tick: number; decade: boolean }[] = [];
  for (let d = Math.floor(Math.log10(lo)); d <= Math.ceil(Math.log10(hi)); d++) {
    for (const m of [1, 2, 5]) candidates.push({ tick: m * 10 ** d, decade: m === 1 });
  }
  const inside = candidates.filter(({ tick }) => tick >= lo && tick <= hi);
  if (inside.length > 7) return inside.filter((c) => c.decade).map((c) => c.tick);
  return inside.length >= 2 ? inside.map((c) => c.tick) : [lo, hi];
}

export interface LegendEntry {
  label: string;
  color: string;
}

/** A legend laid out left to right, wrapping at `width`; returns the markup and its height. */
export function legend(x: number, y: number, width: number, entries: readonly LegendEntry[]): { svg: string; height: number } {
  const parts: string[] = [];
  const rowHeight = 18;
  let [cx, cy] = [x, y];
  for (const { label, color } of entries) {
    const w = 18 + label.length * 6.6 + 18; // swatch, text at about 6.6 px a character, gap
    if (cx + w > x + width && cx > x) [cx, cy] = [x, cy + rowHeight];
    parts.push(element('rect', { x: round(cx), y: round(cy - 10), width: 12, height: 12, rx: 2, fill: color }), text(cx + 17, cy, label));
    cx += w;
  }
  return { svg: elementOf('g', { class: 'legend' }, parts), height: cy - y + rowHeight };
}
