// `--se-latency` over several processes: each a fresh child (se-session.ts) that builds both
// models, warms them and times its rounds, one after another, never two at once (they would
// share the cores). Within one process every round shares the JIT state and memory layout the
// process happened to get, so its rounds agree with each other more than two runs of seprof
// agree; the processes sample that too (paired.ts combines them).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../errors';
import type { Spec } from '../../model/spec';
import { packageRoot } from '../../version';
import type { BackendChoice } from './backend-choice';
import type { ClockChoice } from './clocks';
import { MeasurementSkipped } from './memory';
import { oneAtATime } from './one-at-a-time';
import type { PairPlan } from './paired';
import type { OnProgress } from './progress';
import type { SessionRequest, SessionResult } from './se-latency';
import type { SessionMessage } from './se-session';

export interface SePairOptions {
  backend: BackendChoice;
  /** How many processes, one after another. */
  processes: number;
  /** Each process's rounds. */
  plan: PairPlan;
  /** Layer-by-layer passes of the model with SE in each process. */
  passes: number;
  training: boolean;
  onProgress?: OnProgress | undefined;
  /** Both models' estimated peak together. */
  peakBytes?: bigint | undefined;
  clock: ClockChoice;
}

/** The child's script, as compiled: the tests run src/, whose build (npm test's pretest) is in dist/. */
const SESSION_SCRIPT = join(packageRoot(), 'dist', 'analyzers', 'measured', 'se-session.js');

/** A child's stderr kept for its failure message: its last line, at most this long. */
const STDERR_TAIL = 2000;

function runChild(request: SessionRequest, onRound: (done: number) => void): Promise<SessionResult> {
  return new Promise((resolve, reject) => {
    // execArgv empty: a parent's inspector or loader flags are not the child's to inherit.
    const child = fork(SESSION_SCRIPT, [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    let stderr = '';
    let outcome: Exclude<SessionMessage, { kind: 'round' }> | undefined;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    child.on('message', (message: SessionMessage) => {
      if (message.kind === 'round') onRound(message.done);
      else outcome = message;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (outcome?.kind === 'result') return resolve(outcome.result);
      if (outcome?.kind === 'skipped') return reject(new MeasurementSkipped(outcome.message));
      if (outcome?.kind === 'usage') return reject(new UsageError(outcome.message));
      const why = outcome?.kind === 'error' ? outcome.message : (stderr.trim().split('\n').at(-1) ?? '');
      reject(new Error(`an --se-latency process ended (${signal ?? `exit code ${code}`})${why === '' ? '' : `: ${why}`}`));
    });
    child.send(request);
  });
}

/**
 * Times the model with SE against its twin in `processes` child processes, one after another:
 * each builds both models (the one with SE first in even processes, the twin first in odd),
 * warms them, times its interleaved rounds and then the model's layers one by one.
 */
export function measureSePair(withSe: Spec, twin: Spec, options: SePairOptions): Promise<SessionResult[]> {
  if (!existsSync(SESSION_SCRIPT)) return Promise.reject(new Error(`${SESSION_SCRIPT} is missing: build seprof (npm run build)`));
  const { plan, processes, onProgress } = options;
  const perProcess = plan.warmup + plan.rounds;
  const total = processes * perProcess;
  const phase = `SE latency rounds (${processes} processes)`;
  return oneAtATime(async () => {
    const results: SessionResult[] = [];
    for (let p = 0; p < processes; p++) {
      const request: SessionRequest = {
        withSe,
        twin,
        backend: options.backend,
        plan,
        passes: options.passes,
        training: options.training,
        peakBytes: options.peakBytes,
        seFirst: p % 2 === 0,
        clock: options.clock,
      };
      onProgress?.(p * perProcess, total, phase);
      results.push(await runChild(request, (done) => onProgress?.(p * perProcess + done, total, phase)));
    }
    onProgress?.(total, total, phase);
    return results;
  });
}
