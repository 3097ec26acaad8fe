// Progress of a long run on stderr, never on stdout. On a terminal: one bar redrawn in place
// with steps done, elapsed and remaining time, cleared at the end. Elsewhere (CI logs, pipes):
// a plain line every few seconds, and one at the end of a run that printed any; a run over
// in a moment leaves the log as it was.
//
// Hand-written rather than a library such as cli-progress: the measured work is synchronous
// wasm on the main thread, so drawing is driven by each finished step (a layer, a case), where
// a library's timer could not fire while a forward pass runs; and no timer keeps Node alive.

export interface Progress {
  /** `done` of `total` steps of `what` ('layers (forward)', 'cases'); a new `what` starts a phase. */
  update(done: number, total: number, what: string): void;
  /** Clears the bar, or prints the last line. */
  end(): void;
}

/** The stream drawn on: the CLI's stderr (process.stderr, or a test's string), or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export const SILENT: Progress = { update: () => {}, end: () => {} };

const WIDTH = 24;
/** A terminal is redrawn at most this often: a fast analytic sweep must not spend its time drawing. */
const FRAME_MS = 100;
/** A log's first line comes after this long, the next ones this far apart. */
const FIRST_LINE_MS = 2000;
const LINE_MS = 5000;

export function seconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}

interface Step {
  done: number;
  total: number;
  what: string;
}

export function progressOn(stream: ProgressStream, now: () => number = () => performance.now()): Progress {
  const start = now();
  let phaseStart = start;
  let lastAt = start;
  let last: Step | undefined;
  let drawnAt = Number.NEGATIVE_INFINITY;

  const status = ({ done, total, what }: Step, at: number): string => {
    const left = done > 0 && done < total ? `, about ${seconds(((at - phaseStart) / done) * (total - done))} left` : '';
    return `${done}/${total} ${what} · ${seconds(at - start)} elapsed${left}`;
  };
  const draw = (step: Step, at: number): void => {
    if (stream.isTTY === true) {
      const filled = step.total > 0 ? Math.round((Math.min(step.done, step.total) / step.total) * WIDTH) : 0;
      const line = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${status(step, at)}`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 80) - 1)}`);
    } else {
      stream.write(`seprof: ${status(step, at)}\n`);
    }
    drawnAt = at;
  };

  return {
    update(done, total, what) {
      const at = now();
      // A phase's first step began when the step before it ended.
      if (last?.what !== what || last.total !== total) phaseStart = lastAt;
      last = { done, total, what };
      lastAt = at;
      const due =
        stream.isTTY === true ? at - drawnAt >= FRAME_MS : drawnAt === Number.NEGATIVE_INFINITY ? at - start >= FIRST_LINE_MS : at - drawnAt >= LINE_MS;
      if (due) draw(last, at);
    },
    end() {
      if (drawnAt === Number.NEGATIVE_INFINITY || last === undefined) return;
      if (stream.isTTY === true) stream.write('\r\x1b[2K');
      else stream.write(`seprof: ${last.done}/${last.total} ${last.what}, done in ${seconds(now() - start)}\n`);
    },
  };
}

/** A command's progress, given its --quiet. */
export type ProgressFor = (quiet: boolean | undefined) => Progress;

/** Progress drawn on `stream`, or none with --quiet. */
export function progressFor(stream: ProgressStream): ProgressFor {
  return (quiet) => (quiet === true ? SILENT : progressOn(stream));
}
