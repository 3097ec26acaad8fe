// --training on every shipped network but se-resnet50 and mobilenet_v3_small (training-networks.slow):
// measured on wasm, never on a fallback backend, and the per-layer backward check passes.
import { describe, it } from 'vitest';
import { specOf } from './support/grid';
import { expectTrainsOnWasm, watchStderr } from './support/training';

watchStderr();

describe('no shipped network falls back from wasm for --training', () => {
  // The kernel set depends neither on the image size nor on the depth: the 50-layer ResNets
  // at 32x32 hold every op kind of the 101- and 152-layer ones, EfficientNet-B0 those of B1-B7.
  it.each(['resnet50', 'bn-inception', 'se-bn-inception', 'efficientnet_b0'])('%s', async (model) => {
    await expectTrainsOnWasm(specOf({ model, height: 32 }));
  });
});
