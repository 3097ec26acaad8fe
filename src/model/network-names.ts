// `--model` names as users type them: hyphens and underscores alike, any case; a name seprof
// does not know gets the closest known one suggested.
import { UsageError } from '../errors';

/** The spelling used for matching: lower case, underscores for hyphens. */
export const normalName = (name: string): string => name.trim().toLowerCase().replace(/-/g, '_');

/** Levenshtein distance, for suggestions. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The known name `value` spells, or a UsageError naming the closest one and listing them all. */
export function matchName<T extends string>(value: string, known: readonly T[]): T {
  const wanted = normalName(value);
  const found = known.find((name) => normalName(name) === wanted);
  if (found !== undefined) return found;
  const closest = [...known].sort((a, b) => distance(wanted, normalName(a)) - distance(wanted, normalName(b)))[0];
  // A suggestion only for a near miss: a third of the letters wrong at most.
  const near = closest !== undefined && distance(wanted, normalName(closest)) <= Math.max(2, Math.floor(wanted.length / 3));
  throw new UsageError(`--model '${value}' is not a network seprof knows${near ? `; did you mean ${closest}?` : '.'} Known: ${known.join(', ')}`);
}
