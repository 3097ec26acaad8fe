// Where a user mistake came from (a suite case, a sweep combination, a line of a file), in front of it.
import { CommanderError } from 'commander';
import { UsageError } from '../errors';
import { JsonSyntaxError } from '../fs/json';

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/^error: /, '');
}

/** Runs `build`, prefixing any user mistake with `where`. */
export function within<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof UsageError || error instanceof CommanderError || error instanceof JsonSyntaxError)
      throw new UsageError(`${where}: ${messageOf(error)}`);
    throw error;
  }
}
