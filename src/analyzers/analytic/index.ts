import type { Op, Shape } from '../ops';
import { loadFileModel } from '../../model/file-support';
import { fileRequest, hasSe, resnetConfig, seSettingsOf, type Spec } from '../../model/spec';
import { fileOps } from './file-graph';
import { networkPlan } from '../../model/networks';
import { inceptionBlockOps } from './inception';
import { networkOps } from './network';
import { resnetBlockOps } from './resnet';
import { seOps } from './se';

/** The spec's input batch, NCHW. */
export function inputShape(spec: Spec): Shape {
  if (spec.block === 'file') return [...loadFileModel(fileRequest(spec)).inferred.inputShapes.values()][0] ?? [];
  const { channels, height, width } = spec.input;
  return [spec.batch, channels, height, width];
}

/** The ops a spec executes, from its hyper-parameters alone (no tfjs). */
export function analyticOps(spec: Spec): Op[] {
  const x = inputShape(spec);
  const se = hasSe(spec) ? seSettingsOf(spec) : null;
  switch (spec.block) {
    case 'se':
      return seOps({ input: x, ...seSettingsOf(spec) });
    case 'resnet':
    case 'se-resnet':
      return resnetBlockOps(x, resnetConfig(spec));
    case 'inception':
    case 'se-inception':
      return inceptionBlockOps(x, { ...spec, se });
    case 'network':
      return networkOps(networkPlan(spec), x);
    case 'file':
      return fileOps(spec).ops;
  }
}
