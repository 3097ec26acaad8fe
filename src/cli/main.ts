// seprof's entry point: parse argv, run a command, and turn every failure into one line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from '../errors';
import { addCompareCommand } from './compare';
import { addExplainCommand } from './explain';
import { addPaperCommand } from './paper';
import { addProfileOptions, runProfile } from './profile';
import { addReportCommand } from './report';
import { addSweepCommand } from './sweep';

function toolVersion(): string {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** Whether the user asked for JSON, read from raw argv so that even parse errors honour it. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--json' || arg === '--format=json' || (arg === '--format' && argv[i + 1] === 'json'));
}

function fail(error: unknown, argv: readonly string[]): void {
  const debug = argv.includes('--debug');
  const usage = error instanceof UsageError || error instanceof CommanderError;
  const message = (error instanceof Error ? error.message : String(error))
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)');
  const code = usage ? EXIT_USAGE : EXIT_FAILED;
  if (wantsJson(argv)) {
    process.stderr.write(`${JSON.stringify({ error: { message, exitCode: code } })}\n`);
  } else {
    process.stderr.write(`seprof: ${message}\n`);
  }
  if (debug && error instanceof Error && error.stack !== undefined) process.stderr.write(`${error.stack}\n`);
  process.exitCode = code;
}

export async function main(argv: readonly string[]): Promise<void> {
  const version = toolVersion();
  const program = new Command('seprof')
    .description('Parameters, MACs and FLOPs of Squeeze-and-Excitation blocks, exact and verified in tfjs')
    .version(version)
    .usage('--channels C [options]')
    .option('--debug', 'print stack traces of errors')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  addProfileOptions(program).action((flags) => runProfile(flags, version));
  addExplainCommand(program, version);
  addPaperCommand(program, version);
  addSweepCommand(program, version);
  addReportCommand(program, version);
  addCompareCommand(program);
  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => {} });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return; // --help, --version
    fail(error, argv);
  }
}

void main(process.argv.slice(2));
