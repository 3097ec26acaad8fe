// Who wrote a report set, and whether it is abandoned. A process id alone cannot say: two
// containers on a shared volume each have their own PID namespace, where kill(pid, 0) sees
// only its own processes (and the same id names another process). A set's name carries its
// writer's pid and a hash of its boot and PID namespace (so even a run killed before writing
// anything into it is known); only a set from this namespace is judged by its process, any
// other by its age.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export interface SetOwner {
  pid: number;
  /** Eight hex digits of the writer's namespace; undefined for a set named by an older seprof. */
  namespace: string | undefined;
}

/** Writing a set takes seconds; a set from another namespace this old is abandoned (its writer was killed). */
export const FOREIGN_LEASE_MS = 60 * 60 * 1000;

function readOr(read: () => string): string {
  try {
    return read().trim();
  } catch {
    return '';
  }
}

let namespace: string | undefined;

/** This process's namespace: the boot id and PID namespace on Linux, and the host name, hashed to eight hex digits. */
export function currentNamespace(): string {
  namespace ??= (require('node:crypto') as typeof import('node:crypto'))
    .createHash('sha256')
    .update([readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')), readOr(() => readlinkSync('/proc/self/ns/pid')), hostname()].join('\n'))
    .digest('hex')
    .slice(0, 8);
  return namespace;
}

/** `PID-NAMESPACE`, for the name of a set this process writes. */
export const ownerTag = (): string => `${process.pid}-${currentNamespace()}`;

function processEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Whether the writer of a set is gone: this process (an earlier run in it) or an ended
 * process of this namespace; from another namespace, or unknown, only past the lease.
 */
export function isAbandoned(owner: SetOwner, ageMs: number): boolean {
  if (owner.namespace === currentNamespace()) return owner.pid === process.pid || processEnded(owner.pid);
  return ageMs > FOREIGN_LEASE_MS;
}
