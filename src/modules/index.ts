import * as tfl from '@tensorflow/tfjs-layers';
import { hasSe, resnetConfig, seSettingsOf, type Spec } from '../model/spec';
import { networkPlan } from '../model/networks';
import { inceptionBlockLayers } from './inception';
import { buildingWith } from './layers';
import { networkLayers } from './network';
import { resnetBlockLayers } from './resnet';
import { seLayers } from './se';

export { isFunctionalMean } from './se';

/**
 * The tfjs model for a spec, NHWC input of one image (the batch is the runner's); with
 * `shareWeights`, layers of one weight shape share one zero buffer (see `buildingWith`).
 */
export function buildModel(spec: Spec, { shareWeights = false } = {}): tfl.LayersModel {
  return buildingWith(shareWeights, () => layersOf(spec));
}

function layersOf(spec: Spec): tfl.LayersModel {
  const { channels, height, width } = spec.input;
  const x = tfl.input({ shape: [height, width, channels], name: 'input' });
  const se = hasSe(spec) ? seSettingsOf(spec) : null;
  const output = (() => {
    switch (spec.block) {
      case 'se':
        return seLayers(x, seSettingsOf(spec));
      case 'resnet':
      case 'se-resnet':
        return resnetBlockLayers(x, resnetConfig(spec));
      case 'inception':
      case 'se-inception':
        return inceptionBlockLayers(x, { ...spec, se });
      case 'network':
        return networkLayers(networkPlan(spec), x);
      case 'file':
        // Read, not built: the graph executor runs it (analyzers/measured/file.ts measures it).
        throw new Error('a model file has no tfjs builder: the graph executor runs it');
    }
  })();
  return tfl.model({ inputs: x, outputs: output });
}
