import { defineConfig } from 'vitest/config';

/**
 * Two tiers. `slow`: tests that run models in tfjs or start processes (the CLI as a user
 * runs it, kills, pseudo-terminals, npm pack). `unit`: everything else, pure and quick.
 * `npm test` runs both; `npm run test:unit` runs the quick tier alone while editing.
 */
const SLOW = [
  'blocks', 'cli', 'cli-blocks', 'cli-conventions', 'cli-file', 'compare', 'compile-cache', 'docs-examples',
  'exactness', 'fuzz', 'graph-executor', 'io-hardening', 'kernels-scale', 'layers-model', 'measurement-quality',
  'memory-guard', 'networks', 'op-kinds', 'package', 'past-2-53-cli', 'progress', 'report', 'report-set',
  'se-measured', 'se-placement', 'se-variants', 'sweep', 'timing-opt-in', 'training-measured',
  'training-networks', 'wasm-gradients', 'zoo', 'api', 'schemas', 'outputs-compose',
].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
