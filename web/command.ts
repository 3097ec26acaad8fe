// The command line that prints what the page shows: the CLI's options of the page's values.
import { CONVENTION_KEYS } from '../src/analyzers/conventions/convention';
import type { RawSpecOptions } from '../src/model/spec';
import type { ViewOptions } from './protocol';

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `seprof` and its arguments (without --format: each export adds its own). */
export function commandLine(raw: RawSpecOptions, measure: boolean, view: ViewOptions): string[] {
  const args = ['seprof'];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === false) continue;
    if (key === 'file') args.push(String(value));
    else args.push(`--${kebab(key)}`, ...(value === true ? [] : [String(value)]));
  }
  // The chosen convention first (what --top ranks by), then the others: `all` when it is thop.
  const rest = CONVENTION_KEYS.filter((k) => k !== view.convention);
  args.push('--conventions', rest.length === CONVENTION_KEYS.length - 1 && view.convention !== 'thop' ? [view.convention, ...rest].join(',') : 'all');
  if (view.depth !== undefined) args.push('--depth', String(view.depth));
  if (view.top !== undefined) args.push('--top', String(view.top));
  if (!measure) args.push('--no-measure');
  return args;
}
