// Preloaded with --require: on exit, prints to stderr the path of every module loaded from the
// repository (dist/..., node_modules/...), and Node's built-in modules loaded, as JSON lines.
// A module inside dist/start.js (esbuild's bundle) counts once its wrapper ran: each is keyed
// by its path in the bundle, and the bundle's helper that runs one is made to record the key.
const Module = require('node:module');
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
const bundled = [];
globalThis.__seprofBundledModule = (key) => bundled.push(key);
const HELPER = 'var __commonJS = (cb, mod) => function __require() {';
const START = join(root, 'dist', 'start.js');
// Node's own compile for the instrumented bundle, so that its code cache is left alone.
const nodeCompile = Module.prototype._compile;
require(join(root, 'dist', 'analyzers', 'measured', 'compile-cache.js'));
const cachedCompile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (filename !== START) return cachedCompile.call(this, content, filename);
  return nodeCompile.call(this, content.replace(HELPER, `${HELPER} if (!mod) globalThis.__seprofBundledModule(__getOwnPropNames(cb)[0]);`), filename);
};
process.on('exit', () => {
  const inRepo = Object.keys(require.cache)
    .filter((path) => path.startsWith(root))
    .map((path) => path.slice(root.length + 1).replaceAll('\\', '/'));
  const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
  process.stderr.write(`modules-loaded=${JSON.stringify([...inRepo, ...bundled])}\nbuiltins-loaded=${JSON.stringify(builtins)}\n`);
});
