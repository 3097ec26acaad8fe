// A model file measured on a backend that lacks a kernel it needs: --backend auto moves to cpu
// and says so in one line, as for networks; a backend asked for by name is refused.
import { join } from 'node:path';
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useBackend } from '../src/analyzers/measured/backend';
import { measureFile } from '../src/analyzers/measured/file';
import { profile } from '../src/analyzers/profile';
import { loadFileSupport } from '../src/model/file-support';
import { buildSpec, type FileSpec } from '../src/model/spec';

function fileSpec(name: string, input?: string): FileSpec {
  const spec = buildSpec({ file: join('test', 'fixtures', 'onnx', name), ...(input === undefined ? {} : { input }) });
  if (spec.block !== 'file') throw new Error(`${name} is not a model file`);
  return spec;
}

describe('a model file on a backend without a kernel it needs', () => {
  // SE's gate: take wasm's Sigmoid away for each test, and put it back.
  let sigmoid: KernelConfig;
  beforeAll(async () => {
    await loadFileSupport();
    await useBackend('wasm');
    sigmoid = getKernel('Sigmoid', 'wasm') as KernelConfig;
  });
  beforeEach(() => unregisterKernel('Sigmoid', 'wasm'));
  afterEach(() => registerKernel(sigmoid));

  it('moves --backend auto to cpu, says why in one line on stderr, and agrees on every layer there', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const result = await profile(fileSpec('se_resnet_block.onnx'), { measure: true, backend: 'auto' });
      expect(result.measured?.backend.name).toBe('cpu');
      expect(result.check.status).toBe('match');
      expect(stderr.mock.calls.map(([line]) => String(line))).toEqual([
        "seprof: the wasm backend has no kernel 'Sigmoid' that this model needs; measuring on cpu instead, which is slower\n",
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses with --backend wasm', async () => {
    await expect(measureFile(fileSpec('se_resnet_block.onnx'), { backend: 'wasm' })).rejects.toThrow(
      "backend 'wasm' has no kernel 'Sigmoid' that this model needs; try --backend cpu",
    );
  });
});

describe('a model file on a backend without a gradient kernel its backward pass needs', () => {
  // Nearest upsampling's gradient, which only --training runs: take wasm's away, and put it back.
  let resizeGrad: KernelConfig;
  beforeAll(async () => {
    await loadFileSupport();
    await useBackend('wasm');
    resizeGrad = getKernel('ResizeNearestNeighborGrad', 'wasm') as KernelConfig;
  });
  beforeEach(() => unregisterKernel('ResizeNearestNeighborGrad', 'wasm'));
  afterEach(() => registerKernel(resizeGrad));

  it('moves --backend auto to cpu with the same line, and the backward check agrees there', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // At 32x32, not the file's 64x64: tfjs's cpu backward reads tensors element by element.
      const result = await profile(fileSpec('tiny_yolo_se.onnx', 'images=1x3x32x32'), { measure: true, backend: 'auto', training: true });
      expect(result.measured?.backend.name).toBe('cpu');
      expect(result.check).toMatchObject({ status: 'match', mismatches: [] });
      expect(stderr.mock.calls.map(([line]) => String(line))).toEqual([
        "seprof: the wasm backend has no kernel 'ResizeNearestNeighborGrad' that this model needs; measuring on cpu instead, which is slower\n",
      ]);
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses with --backend wasm, and the forward alone still runs there', async () => {
    await expect(measureFile(fileSpec('tiny_yolo_se.onnx'), { backend: 'wasm', training: true })).rejects.toThrow(
      "backend 'wasm' has no kernel 'ResizeNearestNeighborGrad' that this model needs; try --backend cpu",
    );
    expect((await profile(fileSpec('tiny_yolo_se.onnx'), { measure: true, backend: 'wasm' })).check.status).toBe('match');
  });
});
