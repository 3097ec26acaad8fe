// Phrases every explain format shares.
import type { KindExplanation, RuleUse } from '../../analyzers/explain';
import { BACKWARD, isForwardOnly } from '../../analyzers/backward';
import { conventionByKey, type ConventionKey } from '../../analyzers/conventions';
import { formatShape } from '../../analyzers/ops';
import { withCommas } from '../format';
import { oneLine } from '../text';

/** The ops of one kind: `fc1 1x512 -> 1x64, fc2 1x64 -> 1x512`. */
export function opsOf(kind: KindExplanation): string {
  // A model file's op no module made (docs/conventions.md 3.12): thop counts it 0, ptflops only a patched function.
  return kind.ops
    .map(
      (op) =>
        `${oneLine(op.name)}${op.attrs.origin === undefined ? '' : ` (${op.attrs.origin})`} ${op.inputShapes.map(formatShape).join(' & ')} -> ${formatShape(op.outputShape)}`,
    )
    .join(', ');
}

/** The rule as written in the convention table, or why the kind is left out. */
export function ruleText(use: RuleUse): string {
  return use.skipped ? `left out: ${use.rule}` : use.rule;
}

export function signed(n: bigint): string {
  return n > 0n ? `+${withCommas(n)}` : withCommas(n);
}

/** `90,624 FLOPs`: a convention's count in its own unit. */
export function withUnit(n: bigint, key: ConventionKey): string {
  return `${withCommas(n)} ${conventionByKey(key)?.unit ?? ''}`.trimEnd();
}

/** The explained conventions that count no backward pass, and why. */
export function forwardOnly(keys: readonly ConventionKey[]): [key: ConventionKey, why: string][] {
  return keys.flatMap((key) => {
    const entry = BACKWARD[key];
    return isForwardOnly(entry) ? [[key, entry.forwardOnly] as [ConventionKey, string]] : [];
  });
}
