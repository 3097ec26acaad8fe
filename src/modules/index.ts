import * as tfl from '@tensorflow/tfjs-layers';
import type { Spec } from '../spec';
import { seLayers } from './se';

/** The tfjs model for a spec, NHWC input of one image (the batch is the runner's). */
export function buildModel(spec: Spec): tfl.LayersModel {
  const { channels, height, width } = spec.input;
  const input = tfl.input({ shape: [height, width, channels], name: 'input' });
  const output = seLayers(input, { reduction: spec.reduction, bias: spec.bias });
  return tfl.model({ inputs: input, outputs: output });
}
