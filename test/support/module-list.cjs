// Preloaded with --require: on exit, prints to stderr the path of every module loaded from the
// repository (dist/..., node_modules/...), and Node's built-in modules loaded, as JSON lines.
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
process.on('exit', () => {
  const inRepo = Object.keys(require.cache).filter((path) => path.startsWith(root)).map((path) => path.slice(root.length + 1).replaceAll('\\', '/'));
  const builtins = process.moduleLoadList.filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
  process.stderr.write(`modules-loaded=${JSON.stringify(inRepo)}\nbuiltins-loaded=${JSON.stringify(builtins)}\n`);
});
