// What a timed run's milliseconds are (`--se-clock`). The wall clock is what a user waits; the
// CPU time of the process (user and system, `process.cpuUsage()`, precise to the microsecond)
// leaves out the time other processes held the core, which on a shared machine is most of a
// run's noise. It counts V8's background threads too (garbage collection, the compiling of
// tfjs's wasm to faster code, which warm-up lets settle): Node 20 reads no one thread's CPU
// time precisely (/proc/thread-self/schedstat moves only when the scheduler updates it, in steps
// of up to a few ms). For a backend that computes on the one thread that waits (wasm, cpu) it
// equals the wall time on an idle core; tfjs-node spreads a kernel over threads of its own,
// whose times add up to more than the wait, so it is timed by the wall.
import type { BackendName } from './backend-choice';

export const CLOCK_CHOICES = ['auto', 'cpu', 'wall'] as const;
export type ClockChoice = (typeof CLOCK_CHOICES)[number];
export type Clock = Exclude<ClockChoice, 'auto'>;

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

export const CLOCKS: Readonly<Record<Clock, () => number>> = { wall: () => performance.now(), cpu: cpuMs };

/** `auto`: CPU time on a backend that computes on this thread, else the wall clock. */
export function clockFor(choice: ClockChoice, backend: BackendName): Clock {
  if (choice !== 'auto') return choice;
  return backend === 'tensorflow' ? 'wall' : 'cpu';
}
