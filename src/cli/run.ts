// The CLI as a function: argv in, text out through a Terminal, an exit code back. No process
// state is touched, so tests run it in-process; main.ts binds it to the real process.
import { existsSync } from 'node:fs';
import { Command, CommanderError, type Option } from 'commander';
import { EXIT_INTERNAL, EXIT_IO, EXIT_OK, EXIT_USAGE, IoError, UsageError } from '../errors';
import { JsonSyntaxError } from '../fs/json';
import { loadFileSupport } from '../model/file-support';
import { oneLine } from '../report/text';
import { toolVersion } from '../version';
import { deliver, type CommandContext, type Outcome, type Terminal } from './outcome';
import { compose, debugOption, PROFILE_OPTIONS } from './option-groups';
import { runProfile } from './profile';
import { progressFor } from './progress';

type AddCommand = (program: Command, context: CommandContext) => void;

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
  baseline: async () => (await import('./baseline.js')).addBaselineCommand,
  init: async () => (await import('./init.js')).addInitCommand,
  serve: async () => (await import('./serve.js')).addServeCommand,
};

/** The subcommands this command line needs: those it names (anywhere, so that a misplaced one still gets its own error), or all of them for help. */
function subcommandsFor(argv: readonly string[]): string[] {
  const names = Object.keys(SUBCOMMANDS);
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !names.includes(first)) {
    throw new UsageError(`unknown command '${first}' (commands: help, ${names.join(', ')})`);
  }
  if (argv.includes('--help') || argv.includes('-h')) return names;
  return names.filter((name) => argv.includes(name));
}

/** Whether the user asked for JSON, read from raw argv so that even parse errors honour it. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--json' || arg === '--format=json' || (arg === '--format' && argv[i + 1] === 'json'));
}

/**
 * `--channels --reduction 4`: commander takes `--reduction` as the value of --channels and then
 * complains about "too many arguments". Say what is wrong instead.
 */
function checkMissingValues(command: Command, argv: readonly string[]): void {
  argv.forEach((arg, i) => {
    const next = argv[i + 1];
    if (next === undefined || !next.startsWith('--')) return;
    const option: Option | undefined = command.options.find((o) => o.long === arg || o.short === arg);
    if (option?.required) throw new UsageError(`${arg} needs a value, but ${next} follows it`);
  });
}

function activeCommand(program: Command, argv: readonly string[]): Command {
  return program.commands.find((c) => argv.includes(c.name())) ?? program;
}

// Long enough for a list of every known network; short enough that a quoted file cannot flood a terminal.
const MAX_MESSAGE = 2000;

/** One line for a failure, its exit code by kind; the stack trace only with --debug. */
function failure(error: unknown, argv: readonly string[], terminal: Terminal): number {
  const known = error instanceof UsageError || error instanceof CommanderError || error instanceof IoError || error instanceof JsonSyntaxError;
  const code = error instanceof IoError ? EXIT_IO : known ? EXIT_USAGE : EXIT_INTERNAL;
  let message = (error instanceof Error ? error.message : String(error)).replace(/^error: /, '').replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)');
  // Messages quote users' files: one line, no terminal escapes, and not a whole file.
  message = oneLine(message);
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;
  if (!known) message = `internal error: ${message} (rerun with --debug for details)`;
  terminal.err(wantsJson(argv) ? `${JSON.stringify({ error: { message, exitCode: code } })}\n` : `seprof: ${message}\n`);
  if (argv.includes('--debug') && error instanceof Error && error.stack !== undefined) terminal.err(`${error.stack}\n`);
  return code;
}

/**
 * `seprof model.onnx ...` is `seprof --file model.onnx ...`, and `seprof explain model.onnx` is
 * `seprof explain --file model.onnx`: a bare path where a command takes --file, one that exists
 * or reads as a path (so that a mistyped one is told it is missing, not an unknown command).
 */
function withFileArgument(argv: readonly string[]): readonly string[] {
  const at = argv[0] === 'explain' ? 1 : 0;
  const path = argv[at];
  if (path === undefined || path.startsWith('-') || path in SUBCOMMANDS || path === 'help') return argv;
  if (!existsSync(path) && !/[\\/]|\.(onnx|json)$/i.test(path)) return argv;
  return [...argv.slice(0, at), '--file', path, ...argv.slice(at + 1)];
}

/** A command with this many options or fewer lists them in one section: headings would hold one or two each. */
const ONE_SECTION = 10;

/** The option groups' --help sections dropped: every option under `Options:`. */
function oneHelpSection(command: Command): void {
  if (command.options.length > ONE_SECTION) return;
  command.optionsGroup('');
  for (const option of command.options) option.helpGroupHeading = undefined;
  command.helpOption('-h, --help', 'display help for command');
}

/** What bare `seprof` prints (on stderr, exit 2): the ways to run it, not the 100 lines of --help. */
const USAGE = `Usage: seprof --channels C [options]   one SE block, measured and checked
       seprof --model NAME [options]   a whole network, and what SE adds to it
       seprof FILE [options]           an ONNX or TF.js model file
       seprof COMMAND [options]        explain, paper, sweep, report, compare,
                                       baseline, init or serve
\`seprof --help\` lists every option, \`seprof help COMMAND\` a command's.
`;

/** `seprof help [command]` is `seprof [command] --help`: the same text, one way to write it. */
function helpAsOption(argv: readonly string[]): readonly string[] {
  if (argv[0] !== 'help') return argv;
  const [, command, ...rest] = argv;
  if (rest.length > 0) throw new UsageError('help takes at most one command');
  return command === undefined ? ['--help'] : [command, '--help'];
}

export async function runCli(rawArgv: readonly string[], terminal: Terminal): Promise<number> {
  if (rawArgv.length === 0) {
    terminal.err(USAGE);
    return EXIT_USAGE;
  }
  let argv = withFileArgument(rawArgv);
  const version = toolVersion();
  let result: Outcome | undefined;
  const stderr = {
    isTTY: terminal.errTerminal !== undefined,
    get columns() {
      return terminal.errTerminal?.columns;
    },
    write: (text: string) => terminal.err(text),
  };
  const context: CommandContext = { toolVersion: version, finish: (o) => (result = o), progress: progressFor(stderr), width: terminal.outTerminal?.columns };
  const output = { writeOut: (text: string) => terminal.out(text), writeErr: () => {}, outputError: () => {} };
  const program = new Command('seprof')
    .description('Parameters, MACs and FLOPs of Squeeze-and-Excitation blocks, exact and verified in tfjs')
    .usage('--channels C | --model NAME | FILE [options]')
    .helpCommand('help [command]', 'the help of a command, as --help shows it')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput(output);
  compose(program, ...PROFILE_OPTIONS, debugOption)
    .version(version)
    .action(async (flags) => context.finish(await runProfile(flags, context)));
  try {
    argv = helpAsOption(argv);
    const subcommands = subcommandsFor(argv);
    for (const name of subcommands) (await SUBCOMMANDS[name]?.())?.(program, context);
    // A suite (sweep, report, baseline) may name model files too; paper, compare and init never
    // read one, nor does `seprof --channels C`.
    const suiteCommands = ['sweep', 'report', 'baseline'];
    if (subcommands.some((name) => suiteCommands.includes(name)) || argv.some((arg) => arg === '--file' || arg.startsWith('--file='))) await loadFileSupport();
    for (const command of program.commands) oneHelpSection(command.optionsGroup('Other:').version(version).exitOverride().configureOutput(output));
    checkMissingValues(activeCommand(program, argv), argv);
    await program.parseAsync(argv, { from: 'user' });
    return result === undefined ? EXIT_OK : deliver(result, terminal);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT_OK; // --help, --version
    return failure(error, argv, terminal);
  }
}
