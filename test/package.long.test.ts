// The package as users get it: `npm pack` (whose `prepack` compiles dist), installed offline into
// an empty project, where the CLI runs and a TypeScript program imports the API by name; and a
// git checkout, which has no dist until its first run builds one.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/cli';

const work = mkdtempSync(join(tmpdir(), 'seprof-package-'));
const stage = join(work, 'stage');
const project = join(work, 'project');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
// An install that waits on the network must fail here, not hang the suite.
const TIMEOUT_MS = 90_000;

function run(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  if (result.error !== undefined) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  return result;
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  return result.stdout;
}

interface Packed {
  filename: string;
  files: { path: string }[];
}

let packed: Packed;
/** What installing the tarball printed, stdout and stderr. */
let installed: string;

interface LockEntry {
  dev?: boolean;
}

/**
 * The consumer's lockfile: seprof from the tarball, its dependencies pinned as this repository's
 * lockfile pins them. `npm ci` caches tarballs but not the registry's metadata, so without the
 * pins an offline install could not resolve a single version range.
 */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const { version, license, dependencies, peerDependencies, peerDependenciesMeta, bin, engines } = pkg;
  const runtime = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && entry.dev !== true);
  return {
    name: 'consumer',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', version: '1.0.0', dependencies: { seprof: tarball } },
      'node_modules/seprof': { version, resolved: tarball, license, dependencies, peerDependencies, peerDependenciesMeta, bin, engines },
      ...Object.fromEntries(runtime),
    },
  };
}

beforeAll(() => {
  // Pack a copy without dist: its `prepack` must build one, and the repository's dist, which
  // other tests run concurrently, is left alone.
  mkdirSync(stage);
  for (const entry of ['package.json', 'tsconfig.json', 'README.md', 'LICENSE', 'bin', 'scripts', 'src', 'web', 'schemas', 'docs'])
    cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const json = ok(run(NPM, ['pack', '--json', '--pack-destination', work], stage), 'npm pack');
  packed = (JSON.parse(json.slice(json.indexOf('['))) as Packed[])[0] as Packed;

  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(consumerLock(`file:../${packed.filename}`)));
  const install = run(NPM, ['install', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], project);
  if (install.status !== 0 && /ENOTCACHED|offline/i.test(install.stderr)) {
    const missing = /request to (\S+) failed/.exec(install.stderr)?.[1] ?? 'a dependency';
    throw new Error(
      `npm install --offline: ${missing} is not in the npm cache; run \`npm ci\` first so the cache holds every dependency\n${install.stderr.slice(-1000)}`,
    );
  }
  ok(install, 'npm install --offline of the tarball');
  installed = install.stdout + install.stderr;
}, 4 * TIMEOUT_MS);

describe('the tarball', () => {
  it('holds the compiled dist with declarations, the browser page, the bin, the schemas, README and LICENSE; no sources or tests', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'bin/seprof',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/cli/main.js',
        'dist/start.js',
        'dist/web/index.html',
        'dist/web/worker.js',
        'dist/web/tfjs-backend-wasm.wasm',
        'schemas/profile.schema.json',
        'schemas/report.schema.json',
      ]),
    );
    expect(paths.filter((p) => /^(src|test)\/|\.ts$/.test(p) && !p.endsWith('.d.ts'))).toEqual([]);
  });

  // npm 11 warns about each install script of a dependency on every install ("not yet covered by
  // allowScripts"), `prepare` too, although it never runs for a tarball.
  it('has no install script, and installing it prints no warning', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.keys(scripts).filter((name) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(name))).toEqual([]);
    expect(installed).not.toMatch(/warn/i);
  });

  it('installed offline, `npx seprof --channels 512 --reduction 8` measures and checks SE(512, r=8)', () => {
    const stdout = ok(run(NPX, ['--offline', 'seprof', '--channels', '512', '--reduction', '8'], project), 'npx seprof');
    // params 2*C*m and thop B*C*(S+1) + 2*B*C*m with C 512, m 64, S 49.
    expect(stdout).toMatch(new RegExp(`Params: +${(2 * 512 * 64).toLocaleString('en-US')} `));
    expect(stdout).toMatch(new RegExp(`MACs \\(thop\\): +${(512 * 50 + 2 * 512 * 64).toLocaleString('en-US')} `));
    expect(stdout).toMatch(/Check: +analytic and measured agree on every layer/);
  });

  it('installed, `seprof serve` serves the browser page, its worker and the wasm backend', async () => {
    const server = spawn(join(project, 'node_modules', '.bin', 'seprof'), ['serve', '--port', '0'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((done, fail) => {
        server.stdout.on('data', (chunk: Buffer) => done(chunk.toString().trim()));
        server.on('exit', (code) => fail(new Error(`seprof serve exited (${code})`)));
      });
      const types = await Promise.all(
        ['', 'worker.js', 'tfjs-backend-wasm.wasm'].map(async (file) => (await fetch(`${url}${file}`)).headers.get('content-type')),
      );
      expect(types).toEqual(['text/html; charset=utf-8', 'text/javascript; charset=utf-8', 'application/wasm']);
    } finally {
      server.kill();
    }
  });

  it('a program imports the API by name: bigint counts, JSON, UsageError, the schemas', () => {
    writeFileSync(
      join(project, 'program.js'),
      `const { profile, toJson, UsageError } = require('seprof');
const schema = require('seprof/schemas/profile.schema.json');
(async () => {
  const result = await profile({ channels: 512, reduction: 8 });
  const refused = await profile({ channels: 8, reduction: 16 }).catch((e) => e instanceof UsageError);
  console.log(typeof result.totals.params, String(result.totals.params), toJson(result).totals.params, refused, schema.$id);
})();
`,
    );
    expect(ok(run(process.execPath, ['program.js'], project), 'node program.js')).toBe(
      `bigint ${2 * 512 * 64} ${2 * 512 * 64} true urn:seprof:schema:profile:1\n`,
    );
  });

  // skipLibCheck off: the public types reach no tfjs declarations, which would need DOM's lib.
  it("TypeScript checks a program against the package's types, library declarations included", () => {
    writeFileSync(
      join(project, 'program.ts'),
      `import { profile, toJson, CONVENTION_KEYS, type ConventionKey, type Latency, type Profile, type ProfileJson } from 'seprof';
export async function main(): Promise<bigint> {
  const result: Profile = await profile({ block: 'se-resnet', channels: 256, planes: 64, reduction: 16 });
  const key: ConventionKey = CONVENTION_KEYS[0];
  const json: ProfileJson = toJson(result);
  // @ts-expect-error channels is a number
  await profile({ channels: '512' });
  // @ts-expect-error no such block
  await profile({ block: 'se-transformer' });
  const latency: Latency | undefined = result.measured?.latency;
  return (result.totals.counts[key] ?? 0n) + BigInt(json.layers.length) + BigInt(latency?.runs ?? 0);
}
`,
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'ES2022',
          lib: ['ES2023'],
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['program.ts'],
      }),
    );
    ok(run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], project), 'tsc on program.ts');
  });
});

describe('a git checkout', () => {
  it('has no dist after `npm install`: the first run builds it, says so on stderr, and later runs do not', () => {
    rmSync(join(stage, 'dist'), { recursive: true, force: true });
    const bin = join(stage, 'bin', 'seprof');
    const first = run(process.execPath, [bin, '--channels', '512', '--reduction', '8', '--no-measure'], work);
    expect(first.status).toBe(0);
    // params 2*C*m with C 512, m 64.
    expect(first.stdout).toMatch(new RegExp(`Params: +${(2 * 512 * 64).toLocaleString('en-US')} `));
    expect(first.stderr).toMatch(/^seprof: a git checkout without dist\/: compiling it once/);
    expect(existsSync(join(stage, 'dist', 'start.js'))).toBe(true);
    const second = run(process.execPath, [bin, '--channels', '512', '--reduction', '8', '--no-measure'], work);
    expect({ status: second.status, stderr: second.stderr, stdout: second.stdout }).toEqual({ status: 0, stderr: '', stdout: first.stdout });
  });
});
