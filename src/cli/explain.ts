// seprof explain: what each convention counts for this model, how they differ, and what they leave out.
import type { Command } from 'commander';
import { CONVENTION_KEYS } from '../analyzers/conventions';
import { UsageError } from '../errors';
import { oneOf } from '../parse';
import { buildSpec } from '../model/spec';
import * as parse from './options';
import { addModelOptions, failOnMismatch, noteSkippedRun, profileWithProgress } from './profile';

const EXPLAIN_FORMATS = ['table', 'json', 'markdown'] as const;

export function addExplainCommand(program: Command, toolVersion: string): void {
  const command = program
    .command('explain')
    .description('what each counting convention counts for this model, how they differ, and what they leave out')
    .usage('--channels C [options]  (any block or --model, as for seprof itself)')
    .option('--debug', 'print stack traces of errors');
  addModelOptions(command)
    .option('--format <format>', 'table (default), json or markdown')
    .option('--json', 'shortcut for --format json')
    .option('--convention <key>', 'the reference the others are compared with', 'thop')
    .option('--conventions <keys>', "the conventions to explain: a comma-separated list, or 'all'", 'all')
    .action((flags: parse.ProfileFlags) => {
      // With positional options, `seprof --channels 8 explain` hands --channels to the root command.
      const misplaced = program.options.find((o) => o.long !== '--debug' && program.getOptionValueSource(o.attributeName()) === 'cli');
      if (misplaced !== undefined) throw new UsageError(`${misplaced.long ?? misplaced.flags} goes after 'explain': seprof explain ${misplaced.long ?? ''} ...`);
      return runExplain(flags, toolVersion);
    });
}

async function runExplain(flags: parse.ProfileFlags, toolVersion: string): Promise<void> {
  const spec = buildSpec(flags);
  const format = oneOf('format', parse.format(flags), EXPLAIN_FORMATS);
  const reference = oneOf('convention', flags.convention, CONVENTION_KEYS);
  const keys = parse.columns({ conventions: flags.conventions ?? 'all' });
  const result = await profileWithProgress(spec, flags);
  noteSkippedRun(result.check, flags.measure);
  // Loaded on use: the root command should not pay for explain's modules.
  const [{ explain }, { renderExplanation }] = await Promise.all([import('../analyzers/explain.js'), import('../report/explain/index.js')]);
  process.stdout.write(renderExplanation(explain(result, keys, reference), format, toolVersion));
  failOnMismatch(result.check);
}
