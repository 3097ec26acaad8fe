// What a timed run's milliseconds are (`--se-clock`). The wall clock is what a user waits; the
// CPU time of the thread that runs the model leaves out the time other processes held the core,
// which on a shared machine is most of a run's noise. On Linux that is the main thread's own
// time on a CPU (/proc/thread-self/schedstat, in ns), which also leaves out V8's background
// threads (garbage collection, compiling tfjs's wasm to faster code in a fresh process); elsewhere
// the process's user and system time. For a backend that computes on this one thread (wasm, cpu)
// it equals the wall time on an idle core; tfjs-node spreads a kernel over threads of its own,
// so it is timed by the wall.
import { openSync, readSync } from 'node:fs';
import type { BackendName } from './backend-choice';

export const CLOCK_CHOICES = ['auto', 'cpu', 'wall'] as const;
export type ClockChoice = (typeof CLOCK_CHOICES)[number];
export type Clock = Exclude<ClockChoice, 'auto'>;

const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** The main thread's time on a CPU, read again from an open file (a few microseconds), or undefined off Linux. */
function threadCpuClock(): (() => number) | undefined {
  try {
    const fd = openSync('/proc/thread-self/schedstat', 'r');
    const buffer = Buffer.alloc(128);
    const read = (): number => Number(buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0)).split(' ')[0]) / 1e6;
    return Number.isFinite(read()) ? read : undefined;
  } catch {
    return undefined;
  }
}

let cpuClock: (() => number) | undefined;

export const CLOCKS: Readonly<Record<Clock, () => number>> = {
  wall: () => performance.now(),
  cpu: () => {
    cpuClock ??= threadCpuClock() ?? processCpuMs;
    return cpuClock();
  },
};

/** `auto`: CPU time on a backend that computes on this thread, else the wall clock. */
export function clockFor(choice: ClockChoice, backend: BackendName): Clock {
  if (choice !== 'auto') return choice;
  return backend === 'tensorflow' ? 'wall' : 'cpu';
}
