import type { Convention } from './convention';
import { flops } from './flops';
import { fvcore } from './fvcore';
import { macs } from './macs';
import { ptflops } from './ptflops';
import { ptflopsAten } from './ptflops-aten';
import { senet } from './senet';
import { thop } from './thop';

export type { Convention } from './convention';
export { countByRule, countOp, isSkip } from './convention';

/** The conventions that reproduce public counters; the rest are seprof's own. */
export const PUBLIC_COUNTERS: readonly Convention[] = [thop, fvcore, ptflops, ptflopsAten];

/** Every convention seprof counts, in report order. */
export const CONVENTIONS: readonly Convention[] = [...PUBLIC_COUNTERS, macs, flops, senet];

export const CONVENTION_KEYS = CONVENTIONS.map((c) => c.key);

export function conventionByKey(key: string): Convention | undefined {
  return CONVENTIONS.find((c) => c.key === key);
}
