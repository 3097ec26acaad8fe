// seprof's entry point: parse argv, run a command, and turn every failure into one line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT_FAILED, EXIT_USAGE, UsageError } from '../errors';
import { addProfileOptions, runProfile } from './profile';

type AddCommand = (program: Command, toolVersion: string) => void;

/**
 * Subcommands, loaded only when named (or for --help): the main job, `seprof --channels C`,
 * starts without their modules.
 */
const SUBCOMMANDS: Record<string, () => Promise<AddCommand>> = {
  explain: async () => (await import('./explain.js')).addExplainCommand,
  paper: async () => (await import('./paper.js')).addPaperCommand,
  sweep: async () => (await import('./sweep.js')).addSweepCommand,
  report: async () => (await import('./report.js')).addReportCommand,
  compare: async () => (await import('./compare.js')).addCompareCommand,
};

/** The subcommands this command line needs: those it names (anywhere, so that a misplaced one still gets its own error), or all of them for help. */
function subcommandsFor(argv: readonly string[]): string[] {
  const names = Object.keys(SUBCOMMANDS);
  const first = argv[0];
  if (first === 'help' || argv.includes('--help') || argv.includes('-h')) return names;
  if (first !== undefined && !first.startsWith('-') && !names.includes(first)) {
    throw new UsageError(`unknown command '${first}' (commands: ${names.join(', ')})`);
  }
  return names.filter((name) => argv.includes(name));
}

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

/** `seprof model.onnx ...` is `seprof --file model.onnx ...`: a first argument that is no command but an existing file. */
function withFileArgument(argv: readonly string[]): readonly string[] {
  const first = argv[0];
  if (first === undefined || first.startsWith('-') || first in SUBCOMMANDS || first === 'help' || !existsSync(first)) return argv;
  return ['--file', first, ...argv.slice(1)];
}

export async function main(rawArgv: readonly string[]): Promise<void> {
  const argv = withFileArgument(rawArgv);
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
  try {
    for (const name of subcommandsFor(argv)) (await SUBCOMMANDS[name]?.())?.(program, version);
    for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => {} });
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return; // --help, --version
    fail(error, argv);
  }
}

void main(process.argv.slice(2));
