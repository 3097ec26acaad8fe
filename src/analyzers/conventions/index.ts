import { CONVENTION_KEYS, type Convention, type ConventionKey } from './convention';
import { flops } from './flops';
import { fvcore } from './fvcore';
import { macs } from './macs';
import { ptflops } from './ptflops';
import { ptflopsAten } from './ptflops-aten';
import { senet } from './senet';
import { thop } from './thop';

export type { Convention, ConventionKey, ForwardOnly, Rule, RuleTable, Skip, SkipKind } from './convention';
export { CONVENTION_KEYS, countByRule, countOp, isForwardOnly, isSkip } from './convention';

/** The convention reports lead with when none is asked for. */
export const DEFAULT_CONVENTION: ConventionKey = 'thop';

/** The conventions a report shows, the one it leads with (ranks and shares by) first. */
export type ConventionColumns = readonly [ConventionKey, ...ConventionKey[]];

/** Every convention by its key: the type makes the set complete, and each one carries its own key. */
const BY_KEY: { readonly [K in ConventionKey]: Convention<K> } = {
  thop,
  fvcore,
  ptflops,
  'ptflops-aten': ptflopsAten,
  macs,
  flops,
  senet,
};

/** Every convention seprof counts, in report order. */
export const CONVENTIONS: readonly Convention[] = CONVENTION_KEYS.map((key) => BY_KEY[key]);

/** The conventions that reproduce public counters; the rest are seprof's own. */
export const PUBLIC_COUNTERS: readonly Convention[] = [thop, fvcore, ptflops, ptflopsAten];

function isConventionKey(key: string): key is ConventionKey {
  return (CONVENTION_KEYS as readonly string[]).includes(key);
}

export function conventionOf(key: ConventionKey): Convention {
  return BY_KEY[key];
}

export function conventionByKey(key: string): Convention | undefined {
  return isConventionKey(key) ? BY_KEY[key] : undefined;
}
