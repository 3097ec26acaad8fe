// Option values shared by commands, parsed and checked into typed settings.
import { CONVENTION_KEYS } from '../analyzers/conventions';
import { BACKEND_CHOICES, type BackendChoice } from '../analyzers/measured/backend-choice';
import { UsageError } from '../errors';
import { oneOf } from '../parse';
import { FORMATS, type Format } from '../report';

export function format(raw: { format?: string; json?: boolean }): Format {
  if (raw.json === true) {
    if (raw.format !== undefined && raw.format !== 'json') {
      throw new UsageError(`--json conflicts with --format ${raw.format}`);
    }
    return 'json';
  }
  return oneOf('format', raw.format ?? 'table', FORMATS);
}

export function backend(value: string | undefined): BackendChoice {
  return oneOf('backend', value ?? 'auto', BACKEND_CHOICES);
}

/** The convention columns: --conventions (a list or 'all') or --convention beside `flops`. */
export function columns(raw: { convention?: string; conventions?: string }): string[] {
  if (raw.conventions !== undefined) {
    if (raw.conventions.trim() === 'all') return [...CONVENTION_KEYS];
    const keys = raw.conventions.split(',').map((k) => k.trim());
    return [...new Set(keys.map((k) => oneOf('conventions', k, CONVENTION_KEYS)))];
  }
  const main = oneOf('convention', raw.convention ?? 'thop', CONVENTION_KEYS);
  return main === 'flops' ? ['flops'] : [main, 'flops'];
}
