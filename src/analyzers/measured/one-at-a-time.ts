// tfjs keeps one engine per process: one active backend, one profiler (tf.profile records
// into the engine's single active profile), one count of live tensors. Two measured runs that
// overlap would switch each other's backend and read each other's kernels, so a library user's
// Promise.all of measured profiles runs them one after another here. Four lines of a promise
// chain; a mutex package would add a dependency for the same thing.

let last: Promise<unknown> = Promise.resolve();

/** Runs `work` once every measured run started before it has ended, failed or not. */
export function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = last.then(work, work);
  last = run.catch(() => undefined);
  return run;
}
