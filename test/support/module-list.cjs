// Preloaded with --require: on exit, prints to stderr the path of every module loaded from the
// repository (dist/..., node_modules/...), as one JSON line.
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
process.on('exit', () => {
  const inRepo = Object.keys(require.cache).filter((path) => path.startsWith(root)).map((path) => path.slice(root.length + 1).replaceAll('\\', '/'));
  process.stderr.write(`modules-loaded=${JSON.stringify(inRepo)}\n`);
});
