// Every real export of test/fixtures/onnx-real (YOLOv9 with and without SE, torchvision's and
// Cadene's networks, an einsum attention: see its README) measured: the executor runs what the
// analytic side counts, and the check agrees on every layer. A skipped check (an op the executor
// does not run) fails here as a mismatch does. Weight-stripped files measure with zero weights
// (counts and shapes do not depend on them). The whole set takes minutes: by default every file
// but those at 640 and the opset-13 twins of the ones over 50 MB of weights (their opset-17 file
// is measured); SEPROF_LARGE_EXPORTS=1 measures them all.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { profile } from '../src/index';
import { externalExtents, withZeroWeights } from './support/stripped-weights';

const DIR = join(__dirname, 'fixtures', 'onnx-real');
const tmp = mkdtempSync(join(tmpdir(), 'seprof-real-exports-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const exports = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.onnx')).sort() : [];
const LARGE_WEIGHTS = 50 * 2 ** 20;
const large = (file: string): boolean =>
  /_1x640_/.test(file) || (/_op13\.onnx$/.test(file) && [...externalExtents(join(DIR, file)).values()].some((bytes) => bytes > LARGE_WEIGHTS));
const run = exports.filter((f) => !large(f) || process.env['SEPROF_LARGE_EXPORTS'] === '1');

describe.skipIf(run.length === 0)('real exports, measured and checked on every layer', () => {
  it.each(run)('%s', async (file) => {
    const path = withZeroWeights(join(DIR, file), tmp);
    const result = await profile({ file: path, measure: true });
    expect(result.check.reason).toBeUndefined();
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  }, 600_000);
});
