import type { Profile } from '../../analyzers/profile';
import { renderCsv } from './csv';
import { renderJson } from './json';
import { renderMarkdown } from './markdown';
import type { RenderOptions } from '../render-options';
import { renderTable } from './table';

export function render(profile: Profile, options: RenderOptions): string {
  switch (options.format) {
    case 'table':
      return renderTable(profile, options);
    case 'json':
      return renderJson(profile, options);
    case 'markdown':
      return renderMarkdown(profile, options);
    case 'csv':
      return renderCsv(profile, options);
  }
}
