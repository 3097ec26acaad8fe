// seprof's entry point: runs the CLI on this process's argv and streams.
import { EXIT_IO, systemReason } from '../errors';
import { runCli } from './run';

// A reader that stops early (`| head -1`) is no failure: the rest of stdout is dropped quietly.
// Any other write failure (a full disk) is one line and exit 3.
let stdoutFailed = false;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (stdoutFailed) return;
  stdoutFailed = true;
  if (error.code === 'EPIPE') return;
  process.stderr.write(`seprof: cannot write to stdout: ${systemReason(error)}\n`);
  process.exitCode = EXIT_IO;
});

// stderr closed too (`2>&1 | head -1`): there is nowhere left to say anything.
process.stderr.on('error', () => {});

const terminal = {
  out: (text: string) => {
    if (!stdoutFailed && text !== '') process.stdout.write(text);
  },
  err: (text: string) => {
    process.stderr.write(text);
  },
  errTerminal: process.stderr.isTTY ? process.stderr : undefined,
  outTerminal: process.stdout.isTTY ? process.stdout : undefined,
};

void runCli(process.argv.slice(2), terminal).then((code) => {
  if (!stdoutFailed || process.exitCode === undefined) process.exitCode = code;
});
