// After tsc: dist/start.js, the CLI with every module it can load in one file, so that a start
// resolves, reads and compiles one file instead of ~86 (bin/seprof runs it, with V8's code cache).
// tfjs and protobufjs stay outside: they load only when measuring or reading ONNX. The modules
// behind an `import()` (formats, subcommands, model files) are in the file but, as in dist/,
// run only when imported. compile-cache stays outside too, so that bin/seprof and the measured
// path share the one instance that installs the hook.
import { build } from 'esbuild';
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { outputFiles } = await build({
  absWorkingDir: root, // module keys in the bundle are then dist/..., node_modules/... (the load guard reads them)
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/start.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // import() of tfjs's packages as require(): in the bundle compiled by vm.Script (the code
  // cache), an import() failed with "A dynamic import callback was not specified" on Node 20,
  // and a CommonJS package gains nothing from the ESM loader.
  supported: { 'dynamic-import': false },
  external: ['@tensorflow/*', 'protobufjs'],
  plugins: [
    {
      name: 'shared-compile-cache',
      setup(build) {
        build.onResolve({ filter: /compile-cache(\.js)?$/ }, () => ({ path: './analyzers/measured/compile-cache.js', external: true }));
      },
    },
  ],
  logLevel: 'warning',
  write: false,
});
// Whole or not at all: bin/seprof takes a dist/start.js as the mark of a finished build, and a
// second first run of a checkout may be reading it while this one builds.
for (const { path, contents } of outputFiles) {
  writeFileSync(`${path}.${process.pid}.tmp`, contents);
  renameSync(`${path}.${process.pid}.tmp`, path);
}
