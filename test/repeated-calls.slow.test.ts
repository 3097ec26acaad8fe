// A module called twice, exported as PyTorch's exporter writes it after folding each call's
// weights: the scopes number the calls (/conv/Conv, /conv_1/Conv) and the second call reads the
// first's weights through Identity. Params once (sum(p.numel())), both calls counted, and the
// measured run agrees; a layer that merely has the same shapes under its own name stays its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { encodeModel, type ModelSpec } from './support/onnx';

const tmp = mkdtempSync(join(tmpdir(), 'seprof-repeated-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const floats = (n: number): Uint8Array => new Uint8Array(Float32Array.from({ length: n }, (_, i) => Math.cos(i) / 8).buffer);

function twoConvs(second: string): string {
  const spec: ModelSpec = {
    input: { name: 'x', dims: [1, 4, 5, 5] },
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c0'], name: '/conv/Conv', attrs: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] },
      { op: 'Relu', inputs: ['c0'], outputs: ['r0'], name: '/relu/Relu' },
      { op: 'Identity', inputs: ['w'], outputs: ['w1'], name: '/Identity' },
      { op: 'Identity', inputs: ['b'], outputs: ['b1'], name: '/Identity_1' },
      { op: 'Conv', inputs: ['r0', 'w1', 'b1'], outputs: ['y'], name: second, attrs: [{ name: 'pads', type: 7, ints: [1, 1, 1, 1] }] },
    ],
    initializers: [
      { name: 'w', dims: [4, 4, 3, 3], rawData: floats(144) },
      { name: 'b', dims: [4], rawData: floats(4) },
    ],
  };
  const path = join(tmp, `${second.split('/')[1]}.onnx`);
  writeFileSync(path, encodeModel(spec));
  return path;
}

describe('a module called twice', () => {
  it('/conv/Conv then /conv_1/Conv: its 4 * 4 * 9 + 4 params once, both calls counted, measured alike', async () => {
    const result = await profile({ file: twoConvs('/conv_1/Conv'), measure: true });
    expect(result.totals.params).toBe(148n);
    // thop: each call 4 * 4 * 9 * 25 MACs.
    expect(result.totals.counts.thop).toBe(2n * 3600n);
    expect(result.check.status).toBe('match');
  });

  it('a conv of its own name (/other/Conv) reading the aliased weights is a parameter of its own, as the exporter merged equal tensors', async () => {
    const result = await profile({ file: twoConvs('/other/Conv'), measure: true });
    expect(result.totals.params).toBe(2n * 148n);
    expect(result.check.status).toBe('match');
  });
});
