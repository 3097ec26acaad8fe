import type { Profile } from '../../analyzers/profile';
import type { RenderOptions } from '../render-options';
import { renderTable } from './table';

/**
 * The profile in its format. The other formats load when asked for; the table, the default,
 * loads with this module: a first `import()` starts Node's ESM loader, some 9 ms.
 */
export async function render(profile: Profile, options: RenderOptions): Promise<string> {
  switch (options.format) {
    case 'table':
      return renderTable(profile, options);
    case 'json':
      return (await import('./json.js')).renderJson(profile, options);
    case 'markdown':
      return (await import('./markdown.js')).renderMarkdown(profile, options);
    case 'csv':
      return (await import('./csv.js')).renderCsv(profile, options);
  }
}
