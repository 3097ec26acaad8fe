// Every real export of test/fixtures/onnx-real (YOLOv9 with and without SE, torchvision's and
// Cadene's networks, an einsum attention: see its README) measured: the executor runs what the
// analytic side counts, and the check agrees on every layer. A skipped check (an op the executor
// does not run) fails here as a mismatch does. Weight-stripped files measure with stand-in weights
// (--stand-in-weights: counts and shapes do not depend on them). The whole set takes minutes, so `npm test` measures
// one export per model (opset 17 at its smaller input point; the costliest, SENet-154, YOLOv9-C,
// GELAN-C with and without SE, Inception-v3 and Swin-T, are covered in kind by SE-ResNeXt-50,
// GELAN-T with and without SE (the same modules, narrower), GoogLeNet, the narrow Swin of
// test/fixtures/onnx (file-transformer-measured.slow.test.ts) and their kinds' examples; AlexNet's
// and VGG-11's adaptive pools, 240 MB and 530 MB of weights, by file-adaptive-pool.slow.test.ts,
// resnet18-FPN and SSD's VGG-16 by their kinds' examples), and
// `npm run test:exports` (SEPROF_ALL_EXPORTS=1) measures every file.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { profile } from '../src/index';

const DIR = join(__dirname, 'fixtures', 'onnx-real');

const exports = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.onnx'))
      .sort()
  : [];
/** Input points, cheapest first: a file's model, and whether it is that model's cheapest opset-17 export. */
const POINTS = ['1x32', '2x24', '2x48', '2x320', '1x8', '2x9', '1x224', '2x224', '2x256', '2x200', '2x268', '1x299', '1x300', '1x640'];
const modelOf = (file: string): string => file.replace(/_(\d+x\d+)_op\d+\.onnx$/, '');
const pointOf = (file: string): number => POINTS.findIndex((p) => file.includes(`_${p}_`));
const cheapest = (file: string): boolean =>
  file.endsWith('_op17.onnx') && exports.filter((f) => modelOf(f) === modelOf(file) && f.endsWith('_op17.onnx')).every((f) => pointOf(f) >= pointOf(file));
const COSTLIEST = new Set([
  'senet154',
  'yolov9_c',
  'gelan_c',
  'gelan_c_se',
  'inception_v3',
  'swin_t',
  'alexnet',
  'vgg11_bn',
  'fpn_resnet18',
  'ssd_vgg16_features',
]);
const run = process.env['SEPROF_ALL_EXPORTS'] === '1' ? exports : exports.filter((f) => cheapest(f) && !COSTLIEST.has(modelOf(f)));

describe.skipIf(run.length === 0)('real exports, measured and checked on every layer', () => {
  it.each(run)(
    '%s',
    async (file) => {
      // Weight-stripped exports: stand-in weights in place of the external data they point at.
      const result = await profile({ file: join(DIR, file), measure: true, standInWeights: true });
      expect(result.check.reason).toBeUndefined();
      expect(result.check.mismatches).toEqual([]);
      expect(result.check.status).toBe('match');
    },
    600_000,
  );
});
