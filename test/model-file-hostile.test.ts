// Hostile model files: random bytes, bit flips of a real export, huge and deeply nested
// files, and the generated ones of test/fixtures/hostile (one wrong thing each). Each is either
// read or refused with a UsageError, fast; never a crash.
import { readFileSync, truncateSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { HOSTILE_CASES, POOL, writeCase } from './fixtures/hostile/cases';
import { seprofInProcess } from './support/cli';

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
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), (bytes) => {
        expect(attempt('random.onnx', bytes)).toBe('refused');
      }),
      { numRuns: 200 },
    );
  });

  it('bit flips and cuts of a real export are read or refused, never a crash', () => {
    fc.assert(
      fc.property(fc.nat(EXPORT.length - 1), fc.integer({ min: 0, max: 7 }), fc.boolean(), (at, bit, cut) => {
        const bytes = cut ? EXPORT.subarray(0, at + 1) : Uint8Array.from(EXPORT);
        if (!cut) bytes[at] = (bytes[at] as number) ^ (1 << bit);
        expect(['ok', 'refused']).toContain(attempt('flipped.onnx', bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('a file over protobuf limit is refused before it is read', () => {
    const path = join(tmp, 'huge.onnx');
    writeFileSync(path, 'x');
    truncateSync(path, 3 * 2 ** 30); // sparse: no disk used
    // Refused from its size alone (3 GiB of a sparse file would take seconds and gigabytes to read).
    expect(() => readModelFile(path)).toThrow(`${path}: ${3 * 2 ** 30} bytes is over protobuf's 2 GiB limit`);
  });

  it('deeply nested JSON is refused with one line, not a stack overflow', () => {
    expect(attempt('nested.json', `{"modelTopology": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`)).toBe('refused');
  });
});

const isRoot = process.getuid?.() === 0;

describe('generated hostile files (test/fixtures/hostile): one line naming what is wrong, never an internal error', () => {
  // The case's folder is its index: a name in the path must not satisfy the expected message.
  const cases = HOSTILE_CASES.map((c, i) => ({ ...c, dir: join(tmp, `case-${i}`) }));
  it.each(cases)('$name (item $item)', async (c) => {
    // Root reads any file whatever its mode: the unreadable case cannot be made.
    if (c.name === 'external-unreadable' && isRoot) return;
    const model = writeCase(c, c.dir);
    // Measured: what --no-measure once accepted and the measured run crashed on is refused before tfjs loads.
    const run = await seprofInProcess([model, ...(c.args ?? [])]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: c.code ?? 2, stdout: '' });
    expect(run.stderr).toMatch(/^seprof: [^\n]*\n$/);
    expect(run.stderr).toMatch(c.refused);
  });
});

describe('a node of another operator set', () => {
  it('is an op seprof does not know, not the standard op of the same name', async () => {
    const pool = POOL.nodes[0] as NonNullable<(typeof POOL.nodes)[0]>;
    const spec = (domain: string) => ({
      onnx: {
        nodes: [
          { op: 'Relu', name: 'relu', inputs: ['x'], outputs: ['r'] },
          { ...pool, inputs: ['r'], domain },
        ],
      },
    });
    const flops = async (domain: string, dir: string) => {
      const run = await seprofInProcess([writeCase({ model: spec(domain) }, join(tmp, dir)), '--no-measure', '--json', '--convention', 'flops']);
      expect(run.code).toBe(0);
      return { json: JSON.parse(run.stdout) as { totals: { counts: Record<string, number> } }, stderr: run.stderr };
    };
    const microsoft = await flops('com.microsoft', 'domain-ms');
    // The ReLU alone: one comparison per element of x (1x8x4x4).
    expect(microsoft.json.totals.counts['flops']).toBe(8 * 4 * 4);
    const text = await seprofInProcess([join(tmp, 'domain-ms', 'model.onnx'), '--no-measure']);
    expect(text.stdout).toMatch(/^Not counted: com\.microsoft\.MaxPool x1 \(pool\)/m);
    // ONNX's own MaxPool is counted: more than the ReLU.
    expect((await flops('', 'domain-onnx')).json.totals.counts['flops']).toBeGreaterThan(8 * 4 * 4);
  });
});

describe('an op named after what every JavaScript object has', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    '%s is an op seprof does not know: listed, counted as 0, its measured run skipped naming it',
    async (op) => {
      const model = {
        onnx: {
          nodes: [
            { op: 'Relu', name: 'relu', inputs: ['x'], outputs: ['r'] },
            { op, name: 'odd', inputs: ['r'], outputs: ['y'] },
          ],
        },
      };
      const run = await seprofInProcess([writeCase({ model }, join(tmp, `own-${op}`)), '--json', '--convention', 'flops']);
      expect(run.code).toBe(0);
      const json = JSON.parse(run.stdout) as { totals: { counts: Record<string, number> }; file: { unsupported: { opType: string; nodes: string[] }[] } };
      expect(json.file.unsupported).toEqual([{ opType: op, nodes: ['odd'] }]);
      // The ReLU alone: one comparison per element of x (1x8x4x4).
      expect(json.totals.counts['flops']).toBe(8 * 4 * 4);
      expect(run.stderr).toContain(`does not run ${op} (node 'odd': seprof has no op kind for it)`);
    },
  );
});
