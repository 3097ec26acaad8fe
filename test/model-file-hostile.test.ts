// Hostile model files: random bytes, bit flips of a real export, huge and deeply nested
// files. Each is either read or refused with a UsageError, fast; never a crash.
import { readFileSync, truncateSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';

const tmp = mkdtempSync(join(tmpdir(), 'seprof-hostile-'));
const EXPORT = readFileSync(join(__dirname, 'fixtures', 'onnx', 'mbv3_block.onnx'));

/** Reads and shapes the bytes; returns what went wrong, if anything, as the user would see it. */
function attempt(name: string, bytes: Uint8Array | string): 'ok' | 'refused' {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  try {
    inferShapes(readModelFile(path), new Map());
    return 'ok';
  } catch (error) {
    if (error instanceof UsageError && !error.message.includes('\n')) return 'refused';
    throw error;
  }
}

describe('hostile model files', () => {
  it('random bytes are refused with a UsageError', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), (bytes) => {
      expect(attempt('random.onnx', bytes)).toBe('refused');
    }), { numRuns: 200 });
  });

  it('bit flips and cuts of a real export are read or refused, never a crash', () => {
    fc.assert(fc.property(fc.nat(EXPORT.length - 1), fc.integer({ min: 0, max: 7 }), fc.boolean(), (at, bit, cut) => {
      const bytes = cut ? EXPORT.subarray(0, at + 1) : Uint8Array.from(EXPORT);
      if (!cut) bytes[at] = (bytes[at] as number) ^ (1 << bit);
      expect(['ok', 'refused']).toContain(attempt('flipped.onnx', bytes));
    }), { numRuns: 300 });
  });

  it('a file over protobuf limit is refused before it is read', () => {
    const path = join(tmp, 'huge.onnx');
    writeFileSync(path, 'x');
    truncateSync(path, 3 * 2 ** 30); // sparse: no disk used
    const start = performance.now();
    expect(() => readModelFile(path)).toThrow(/over protobuf's 2 GiB limit/);
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('deeply nested JSON is refused quickly', () => {
    const start = performance.now();
    expect(attempt('nested.json', `{"modelTopology": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`)).toBe('refused');
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
