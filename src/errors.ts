/** A mistake in what the user asked for: one line on stderr, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A failed cross-check or regression. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
