import { defineConfig } from 'vitest/config';

/**
 * Two tiers. `slow`: tests that run models in tfjs or start processes (the CLI as a user
 * runs it, kills, pseudo-terminals, npm pack). `unit`: everything else, pure and quick.
 * `npm test` runs both; `npm run test:unit` runs the quick tier alone while editing.
 * Files share their worker's module cache (isolate: false): tfjs and the sources load once
 * per worker instead of once per file. A test that changes global state (a kernel
 * unregistered, a backend switched) puts it back before it ends.
 */
const SLOW = [
  'blocks', 'cli', 'cli-blocks', 'cli-conventions', 'cli-file', 'compare', 'compile-cache', 'docs-examples',
  'exactness', 'fuzz', 'graph-executor', 'io-hardening', 'kernels-scale', 'layers-model', 'measurement-quality',
  'file-kernel-fallback', 'memory-guard', 'networks', 'op-kinds', 'package', 'past-2-53-cli', 'progress', 'report', 'report-set',
  'se-measured', 'se-placement', 'se-variants', 'sweep', 'timing-opt-in', 'training-measured',
  'training-networks', 'wasm-gradients', 'zoo', 'api', 'schemas', 'outputs-compose', 'file-transformer-measured', 'file-training-measured', 'file-attention-measured', 'file-vit-tokens',
  'file-executes', 'file-real-exports',
].map((name) => `test/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // vitest's default is one worker fewer than the cores: one worker on a 2-core machine. Many
    // tests wait on child processes and wasm, so one worker per core keeps both busy.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW, isolate: false } },
      { extends: true, test: { name: 'slow', include: SLOW, isolate: false } },
    ],
  },
});
