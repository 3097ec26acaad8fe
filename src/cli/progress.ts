// A one-line progress bar on stderr, drawn only when stderr is a terminal: logs and pipes stay clean.

export interface Progress {
  update(done: number, label: string): void;
  done(): void;
}

const QUIET: Progress = { update: () => {}, done: () => {} };
const WIDTH = 24;
/** Redraws at most this often: a fast analytic sweep must not spend its time drawing. */
const FRAME_MS = 100;

export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < 2) return QUIET;
  let last = Number.NEGATIVE_INFINITY;
  return {
    update(done, label) {
      const now = performance.now();
      if (now - last < FRAME_MS) return;
      last = now;
      const filled = Math.round((done / total) * WIDTH);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total} ${label}`;
      stream.write(`\r\x1b[2K${line.slice(0, (stream.columns || 80) - 1)}`);
    },
    done() {
      if (last !== Number.NEGATIVE_INFINITY) stream.write('\r\x1b[2K');
    },
  };
}
