// The browser page (docs/browser.md): dist/web/ holds index.html, the page's script, its Web
// Worker (the engine: src/ bundled for the browser), and tfjs-backend-wasm's .wasm files, which
// the worker loads from beside itself. Built from the TypeScript sources by esbuild.
//
// No Node module may reach the browser graph. The engine reads files through byte sources
// (src/fs/byte-source.ts), and the few modules bound to Node are replaced here, each for a
// reason: the disk reader (a page hands in File objects), the CLI's code cache (V8's, for a
// process), the version read from package.json (known now), --se-latency's child processes (a
// page has none to fork), and cli-table3's colours (loaded
// only for coloured cells, which seprof's tables have none of, behind a try that falls back to
// plain text: @colors reads process.stdout when it loads). node:path and node:util give
// spec.ts and text.ts one function each: web/shims/. Any other node: import fails the build.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'web');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const SHIMS = { 'node:util': 'web/shims/node-util.ts', 'node:path': 'web/shims/node-path.ts' };
const REPLACED = {
  'model-file': "export function readModelFile(path) { throw new Error(path + ': a page reads the files given to it, not the disk'); }",
  'compile-cache': 'export {};',
  version: `export function toolVersion() { return ${JSON.stringify(version)}; }`,
  'se-processes': "export function measureSePair() { return Promise.reject(new Error('--se-latency forks Node processes, which a page cannot')); }",
  colors: "throw new Error('no colours in a page');",
};

const browserOnly = {
  name: 'browser-only',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, ({ path, importer }) => {
      const shim = SHIMS[path];
      if (shim !== undefined) return { path: join(root, shim) };
      return {
        errors: [
          { text: `${path} reached the browser graph from ${importer.slice(root.length)}: keep Node modules out of the engine (src/fs/byte-source.ts)` },
        ],
      };
    });
    b.onResolve({ filter: /^\.\.?\/.*(model-file|compile-cache|version|se-processes)(\.js)?$/ }, ({ path, importer }) => {
      if (importer.includes('node_modules')) return undefined;
      return { path: path.replace(/^.*\//, '').replace(/\.js$/, ''), namespace: 'replaced' };
    });
    b.onResolve({ filter: /^@colors\/colors\/safe$/ }, () => ({ path: 'colors', namespace: 'replaced' }));
    b.onLoad({ filter: /.*/, namespace: 'replaced' }, ({ path }) => ({ contents: REPLACED[path], loader: 'js' }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: { worker: 'web/worker.ts', page: 'web/page.ts' },
  outdir: `${out}.${process.pid}.tmp`,
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  plugins: [browserOnly],
  // tfjs-node is looked for by a variable specifier: no module to bundle, and a browser has none.
  logOverride: { 'unsupported-dynamic-import': 'silent' },
  logLevel: 'warning',
});
const wasmDir = join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const staged = `${out}.${process.pid}.tmp`;
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'])
  copyFileSync(join(wasmDir, file), join(staged, file));
for (const file of ['index.html', 'style.css']) copyFileSync(join(root, 'web', file), join(staged, file));

// Whole or not at all: `seprof serve` may be serving the folder.
mkdirSync(join(root, 'dist'), { recursive: true });
rmSync(`${out}.old`, { recursive: true, force: true });
try {
  renameSync(out, `${out}.old`);
} catch {
  // no earlier build
}
renameSync(staged, out);
rmSync(`${out}.old`, { recursive: true, force: true });
