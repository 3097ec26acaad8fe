import type { Profile } from '../analyzers/profile';
import { renderCsv } from './csv';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import { renderTable } from './table';

export const FORMATS = ['table', 'json', 'markdown', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  format: Format;
  /** Convention keys shown as columns in table and markdown (JSON and CSV carry all). */
  columns: readonly string[];
  toolVersion: string;
  /** Group layers into a tree of module paths this deep. */
  depth?: number | undefined;
  /** Also list the K layers that cost most under the first column. */
  top?: number | undefined;
}

export function render(profile: Profile, options: RenderOptions): string {
  switch (options.format) {
    case 'table':
      return renderTable(profile, options);
    case 'json':
      return renderJson(profile, options);
    case 'markdown':
      return renderMarkdown(profile, options);
    case 'csv':
      return renderCsv(profile);
  }
}
