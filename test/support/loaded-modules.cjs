// Preloaded with --require: on exit, prints to stderr how many tfjs modules were loaded.
process.on('exit', () => {
  const tfjs = Object.keys(require.cache).filter((path) => path.includes('@tensorflow'));
  process.stderr.write(`tfjs-modules-loaded=${tfjs.length}\n`);
});
