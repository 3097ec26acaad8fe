// The child process of `--se-latency`: se-processes.ts forks this file (as compiled in dist/)
// once per process, sends it one SessionRequest, and reads back its rounds as they advance and
// then its result. A fresh process has its own JIT state, heap and wasm memory, so each one
// samples what a run of seprof gets, not only what a round gets.
import './compile-cache'; // tfjs compiles from V8's code cache, as in the CLI
import { UsageError } from '../../errors';
import { loadFileSupport } from '../../model/file-support';
import { MeasurementSkipped } from './memory';
import { runSession, type SessionRequest, type SessionResult } from './se-latency';

/** What the child sends: progress, then one outcome. */
export type SessionMessage =
  | { kind: 'round'; done: number }
  | { kind: 'result'; result: SessionResult }
  | { kind: 'skipped' | 'usage' | 'error'; message: string };

const send = (message: SessionMessage): Promise<void> => new Promise((resolve) => process.send?.(message, undefined, undefined, () => resolve()));

function failure(error: unknown): SessionMessage {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof MeasurementSkipped) return { kind: 'skipped', message };
  return { kind: error instanceof UsageError ? 'usage' : 'error', message };
}

process.once('message', (request: SessionRequest) => {
  (request.withSe.block === 'file' ? loadFileSupport() : Promise.resolve())
    .then(() => runSession(request, (done) => void send({ kind: 'round', done })))
    .then(
      (result) => send({ kind: 'result', result }),
      (error: unknown) => send(failure(error)),
    )
    .finally(() => process.disconnect());
});
// The parent gone (interrupted, killed), nobody reads the result: end at once.
process.once('disconnect', () => process.exit(0));
// Whatever fails outside the session's promise still reaches the parent as a message, not a stack on stderr.
process.once('uncaughtException', (error) => {
  void send(failure(error)).finally(() => process.exit(1));
});
