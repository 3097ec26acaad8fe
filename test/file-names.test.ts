// Layer names are PyTorch's module paths (issue 20, item 4): the exporter writes a container's
// child as the container's segment plus its index (`/model.9/fc/fc.0/MatMul`), which is
// `model.9.fc.0` in PyTorch, not `model.9.fc.fc.0`; --add-se takes those paths, containers too.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { encodeModel } from './support/onnx';

const MBV3 = join(__dirname, 'fixtures', 'onnx-peers', 'mobilenet_v3_small_op13.onnx');

describe('layer names are PyTorch module paths', () => {
  it('nested containers: a Sequential in a module in a Sequential', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'seprof-names-')), 'nested.onnx');
    const relu = (name: string, x: string, y: string) => ({ op: 'Relu', inputs: [x], outputs: [y], name });
    writeFileSync(
      file,
      encodeModel({
        nodes: [
          relu('/model.9/fc/fc.0/Relu', 'x', 'a'),
          relu('/features/features.1/conv/conv.0/conv.0.0/Relu', 'a', 'b'),
          relu('/layer1/layer1.0/relu/Relu', 'b', 'c'),
        ],
      }),
    );
    expect((await profile({ file })).layers.map((l) => l.op.name)).toEqual(['model.9.fc.0', 'features.1.conv.0.0', 'layer1.0.relu']);
  });

  it("torchvision's mobilenet_v3_small: Conv2dNormActivation's conv and activation, InvertedResidual's block, SqueezeExcitation's fc1", async () => {
    const names = (await profile({ file: MBV3 })).layers.map((l) => l.op.name);
    // features[0] = Conv2dNormActivation(conv, bn (folded), hardswish); features[1].block = Sequential(Conv2dNormActivation, SqueezeExcitation, Conv2dNormActivation).
    expect(names.slice(0, 6)).toEqual([
      'features.0.0',
      'features.0.2',
      'features.1.block.0.0',
      'features.1.block.0.2',
      'features.1.block.1.avgpool',
      'features.1.block.1.fc1',
    ]);
    expect(names.filter((n) => /(^|\.)([a-z_]\w*)\.\2(\.|$)/.test(n))).toEqual([]);
  });

  it('--add-se takes a module path, a container too (after its last layer)', async () => {
    const plain = await profile({ file: MBV3 });
    const added = await profile({ file: MBV3, addSe: ['features.2.block.0'] });
    // features.2.block.0 ends in a ReLU on 72 channels: SE(72, r=16) has hidden 4, params 2 * 72 * 4.
    expect(added.totals.params - plain.totals.params).toBe(2n * 72n * 4n);
    const se = added.layers.filter((l) => l.op.name.startsWith('features.2.block.0_se.'));
    expect(se.map((l) => l.op.kind)).toEqual(['global_avg_pool', 'linear', 'relu', 'linear', 'sigmoid', 'scale']);
  });
});
