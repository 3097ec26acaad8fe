// Option values shared by commands, parsed and checked into typed settings.
import { CONVENTION_KEYS } from '../analyzers/conventions';
import { BACKEND_CHOICES, type BackendChoice } from '../analyzers/measured/backend-choice';
import type { ProfileOptions } from '../analyzers/profile';
import { UsageError } from '../errors';
import { FORMATS, type Format } from '../report';

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got '${value}'`);
}

export function count(name: string, value: string, minimum: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < minimum) {
    throw new UsageError(`--${name} must be a whole number of at least ${minimum}; got '${value}'`);
  }
  return n;
}

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

/** How to profile: measure or not, on which backend, how many timed runs. */
export function profileOptions(raw: { measure: boolean; backend?: string; runs: string; warmup: string }): ProfileOptions {
  return {
    measure: raw.measure,
    backend: backend(raw.backend),
    runs: count('runs', raw.runs, 1),
    warmup: count('warmup', raw.warmup, 0),
  };
}
