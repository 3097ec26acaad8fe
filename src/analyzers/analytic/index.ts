import type { Op } from '../ops';
import type { Spec } from '../../spec';
import { seOps } from './se';

/** The ops a spec executes, from its hyper-parameters alone (no tfjs). */
export function analyticOps(spec: Spec): Op[] {
  const { channels, height, width } = spec.input;
  return seOps({ input: [spec.batch, channels, height, width], reduction: spec.reduction, bias: spec.bias });
}
