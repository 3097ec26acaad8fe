import type { Profile } from '../../analyzers/profile';
import type { RenderOptions } from '../render-options';

/** The profile in its format; each format's modules load only when asked for, so a start loads one. */
export async function render(profile: Profile, options: RenderOptions): Promise<string> {
  switch (options.format) {
    case 'table':
      return (await import('./table.js')).renderTable(profile, options);
    case 'json':
      return (await import('./json.js')).renderJson(profile, options);
    case 'markdown':
      return (await import('./markdown.js')).renderMarkdown(profile, options);
    case 'csv':
      return (await import('./csv.js')).renderCsv(profile, options);
  }
}
