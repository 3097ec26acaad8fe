// seprof explain: what each convention counts for this model, how they differ, and what they leave out.
import type { Command } from 'commander';
import { CONVENTION_KEYS } from '../analyzers/conventions';
import { UsageError } from '../errors';
import { oneOf } from '../parse';
import { buildSpec } from '../model/spec';
import * as parse from './options';
import type { CommandContext, Outcome } from './outcome';
import { compose, debugOption, formatOptions, measureOptions, quietOption, specOptions, trainingOption, unitsOptions } from './option-groups';
import { checkedOutcome, profileWithProgress } from './profile';
import type { ProgressFor } from './progress';

const EXPLAIN_FORMATS = ['table', 'json', 'markdown'] as const;

export function addExplainCommand(program: Command, { toolVersion, finish, progress, width }: CommandContext): void {
  const command = program
    .command('explain')
    .description('what each counting convention counts for this model, how they differ, and what they leave out')
    .usage('--channels C [options]  (any block or --model, as for seprof itself)');
  compose(command, specOptions, trainingOption, measureOptions, quietOption, formatOptions(EXPLAIN_FORMATS), unitsOptions)
    // Not conventionOptions: here the reference and the list go together.
    .optionsGroup('What to show:')
    .option('--convention <key>', 'the reference the others are compared with', 'thop')
    .option('--conventions <keys>', "the conventions to explain: a comma-separated list, or 'all'", 'all');
  debugOption(command).action(async (flags: parse.ProfileFlags) => {
    // With positional options, `seprof --channels 8 explain` hands --channels to the root command.
    const misplaced = program.options.find((o) => o.long !== '--debug' && program.getOptionValueSource(o.attributeName()) === 'cli');
    if (misplaced !== undefined) throw new UsageError(`${misplaced.long ?? misplaced.flags} goes after 'explain': seprof explain ${misplaced.long ?? ''} ...`);
    finish(await runExplain(flags, toolVersion, progress, width));
  });
}

async function runExplain(flags: parse.ProfileFlags, toolVersion: string, progress: ProgressFor, width: number | undefined): Promise<Outcome> {
  const spec = buildSpec(flags);
  const format = parse.format(flags, EXPLAIN_FORMATS);
  const counts = parse.countStyle(flags, format);
  const reference = oneOf('convention', flags.convention, CONVENTION_KEYS);
  const keys = parse.columns({ conventions: flags.conventions ?? 'all' });
  const result = await profileWithProgress(spec, flags, progress);
  // Loaded on use: the root command should not pay for explain's modules.
  const [{ explain }, { renderExplanation }] = await Promise.all([import('../analyzers/explain.js'), import('../report/explain/index.js')]);
  return checkedOutcome(renderExplanation(explain(result, keys, reference), { format, toolVersion, width, counts }), result.check, flags.measure);
}
