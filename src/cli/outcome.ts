// What a command hands back: it computes, and `deliver` alone writes files, stdout and stderr.
import { rmSync } from 'node:fs';
import { EXIT_FAILED, EXIT_OK } from '../errors';
import { writeOutputSet, type OutputSet } from '../fs/output-set';
import { refuseInputs, writeFileAtomically, type WriteMode } from '../fs/write-file';
import { oneLine, terminalSafe } from '../report/text';
import type { ProgressFor } from './progress';

/** Where the CLI writes: the process's streams, or strings in a test. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** stderr when it is a terminal: progress is a bar redrawn in place; otherwise plain lines now and then. */
  errTerminal?: { readonly columns: number } | undefined;
  /** stdout when it is a terminal: a table wider than it is stacked to fit. Unset when piped. */
  outTerminal?: { readonly columns: number } | undefined;
}

export interface Outcome {
  /** The results. */
  stdout: string;
  /** A set of files, written whole before anything is printed. */
  files?: OutputSet | undefined;
  /** Single files, each written atomically before anything is printed; all or none of those created. */
  singleFiles?: readonly SingleFile[] | undefined;
  /** The files this run read: no output may replace one. */
  inputs?: readonly string[] | undefined;
  /** Status lines for stderr, without the trailing newline: notes, and why the run failed. */
  stderr: string[];
  /** Exit 1: analytic and measured differ, or a count regressed. */
  failed: boolean;
}

export interface SingleFile {
  path: string;
  text: string;
  /** replace: as a rename does; create: refuse an existing file. */
  mode: WriteMode;
  /** Who writes it, for the refusal: `seprof init`. */
  what: string;
}

export const outcome = (stdout: string, stderr: string[] = [], failed = false): Outcome => ({ stdout, stderr, failed });

/**
 * Writes the single files. When one fails (a full disk), those this run created are removed
 * again: a retry must not find them and refuse (init never overwrites).
 */
function writeSingleFiles(files: readonly SingleFile[], inputs: readonly string[]): void {
  for (const file of files) refuseInputs(file.path, inputs);
  const created: string[] = [];
  try {
    for (const file of files) {
      writeFileAtomically(file.path, file.text, file.mode, file.what);
      if (file.mode === 'create') created.push(file.path);
    }
  } catch (error) {
    for (const path of created) rmSync(path, { force: true });
    throw error;
  }
}

/** Writes the files, then stdout, then stderr; returns the exit code. I/O failures throw IoError. */
export function deliver(result: Outcome, terminal: Terminal): number {
  if (result.files !== undefined) writeOutputSet(result.files);
  writeSingleFiles(result.singleFiles ?? [], result.inputs ?? []);
  // Names from users' files reach the terminal: no escape sequence in them may act on it.
  terminal.out(terminalSafe(result.stdout));
  // A status line stays one line, whatever name it quotes: a CI log reads each line as a possible command.
  for (const line of result.stderr) terminal.err(`${oneLine(line)}\n`);
  return result.failed ? EXIT_FAILED : EXIT_OK;
}

/** What every command gets: the version it reports, where to hand its outcome, and its progress on stderr. */
export interface CommandContext {
  toolVersion: string;
  finish(result: Outcome): void;
  /** Progress lines go to stderr as the work advances, not through the outcome. */
  progress: ProgressFor;
  /** stdout's width when it is a terminal, for tables to fit; undefined when piped. */
  width: number | undefined;
}
