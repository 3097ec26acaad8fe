// How a profile is rendered: shared by every format's renderer.
import type { ConventionColumns } from '../analyzers/conventions';
import type { Spec } from '../model/spec';
import type { CountStyle } from './format';

export const FORMATS = ['table', 'json', 'markdown', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  format: Format;
  /** Convention keys shown as columns in table and markdown (JSON and CSV carry all). */
  columns: ConventionColumns;
  toolVersion: string;
  /** Group layers into a tree of module paths this deep. */
  depth?: number | undefined;
  /** Also list the K layers that cost most under the first column. */
  top?: number | undefined;
  /** CSV: end with a row of totals (its first cell `total`); off, CSV has data rows only, so summing a column counts each once. */
  totalRow?: boolean | undefined;
  /** Table and markdown: counts in units (--units, --precision) rather than exact with commas. */
  counts?: CountStyle | undefined;
  /** Table: the terminal's width when stdout is one; a wider table is stacked to fit. */
  width?: number | undefined;
}

/** Networks and model files print a tree of module paths two deep unless --depth says otherwise. */
export function defaultDepth(spec: Spec): number | undefined {
  return spec.block === 'network' || spec.block === 'file' ? 2 : undefined;
}
