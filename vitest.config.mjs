import { defineConfig } from 'vitest/config';

/**
 * Three tiers, told apart by file name. `*.test.ts` is `unit`: pure and quick. `*.slow.test.ts`:
 * tests that run models in tfjs or start processes (the CLI as a user runs it, kills,
 * pseudo-terminals). `npm test` runs both, in under a minute on 2 cores; `npm run test:unit` runs
 * the quick tier alone while editing. `*.long.test.ts`: tests of seconds each that `npm test`
 * leaves out to stay quick: the package and the page as users get them (npm pack installed
 * offline, the browser page in Chromium), hostile input at scale, the rest of the real-model
 * grids. `npm run test:long` runs them, and CI runs them after `npm test`. Files share their worker's module
 * cache (isolate: false): tfjs and the sources load once per worker instead of once per file. A
 * test that changes global state (a kernel unregistered, a backend switched) puts it back before
 * it ends.
 */
const SLOW = 'test/**/*.slow.test.ts';
const LONG = 'test/**/*.long.test.ts';

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
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [SLOW, LONG], isolate: false } },
      { extends: true, test: { name: 'slow', include: [SLOW], isolate: false } },
      { extends: true, test: { name: 'long', include: [LONG], isolate: false } },
    ],
  },
});
