import { defineConfig } from 'vitest/config';

/**
 * Three tiers, told apart by file name. `*.e2e.test.ts`: the package and the page as users get
 * them (npm pack installed offline, the browser page in Chromium), seconds each and tools beyond
 * node; `npm run test:e2e` runs them and CI runs them after `npm test`. `*.slow.test.ts`: tests
 * that run models in tfjs or start processes (the CLI as a user runs it, kills, pseudo-terminals).
 * Every other `*.test.ts` is `unit`: pure and quick. `npm test` runs unit and slow;
 * `npm run test:unit` runs the quick tier alone while editing. Files share their worker's module
 * cache (isolate: false): tfjs and the sources load once per worker instead of once per file. A
 * test that changes global state (a kernel unregistered, a backend switched) puts it back before
 * it ends.
 */
const SLOW = 'test/**/*.slow.test.ts';
const E2E = 'test/**/*.e2e.test.ts';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // vitest's default is one worker fewer than the cores: one worker on a 2-core machine. Many
    // tests wait on child processes and wasm, so one worker per core keeps both busy.
    maxWorkers: 2,
    // Every temporary file of the run, the spawned CLI's too, under one directory removed at its end.
    globalSetup: ['test/support/temporary-root.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [SLOW, E2E], isolate: false } },
      { extends: true, test: { name: 'slow', include: [SLOW], isolate: false } },
      { extends: true, test: { name: 'e2e', include: [E2E], isolate: false } },
    ],
  },
});
