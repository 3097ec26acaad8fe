// Real exports against the real peers at each model's second input point (another batch and
// size; the first points are npm test's: onnx-real.slow; the harness: test/support/onnx-real.ts).
import { describe, expect, it } from 'vitest';
import { expectThePeers, realExports } from './support/onnx-real';

const cases = realExports(false);

describe("real exports against the real peers (test/fixtures/onnx-real), at each model's second input point", () => {
  it('has the fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s: params and thop, fvcore, ptflops, ptflops-aten equal the real tools', expectThePeers);
});
