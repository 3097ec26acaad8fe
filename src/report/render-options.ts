// How a profile is rendered: shared by every format's renderer.
import type { ConventionColumns } from '../analyzers/conventions';

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
}
