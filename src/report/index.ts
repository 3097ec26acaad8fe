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
}

export function render(profile: Profile, { format, columns, toolVersion }: RenderOptions): string {
  switch (format) {
    case 'table':
      return renderTable(profile, columns);
    case 'json':
      return renderJson(profile, toolVersion);
    case 'markdown':
      return renderMarkdown(profile, columns);
    case 'csv':
      return renderCsv(profile);
  }
}
