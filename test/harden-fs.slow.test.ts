// Hardening round 3 (issue 23): hand-edited reports of absurd size (item 2), files a model
// names that lead outside its folder (item 3), outputs onto inputs (item 5), resources
// (item 8) and exit codes (item 10). Each refusal is one line; nothing is read, written or
// run past its bound.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { afterAll, describe, expect, it } from 'vitest';
import { textTable } from '../src/report/text-table';
import { ROOT, expectOneLineFailure, seprof, seprofInProcess } from './support/cli';
import { encodeModel, type ModelSpec } from './support/onnx';

const dir = mkdtempSync(join(tmpdir(), 'seprof-harden-'));
const write = (name: string, text: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const baselinePath = join(ROOT, 'reports/baseline.json');
type Case = { name: string; params: number; counts: Record<string, number | string>; spec: Record<string, unknown> };
const baseline = JSON.parse(readFileSync(baselinePath, 'utf8')) as { cases: Case[] };
const suite = write('suite.json', JSON.stringify({ cases: [{ name: 'se-64', options: { channels: 64, reduction: 4 } }] }));

describe('compare on a hand-edited huge report (item 2)', () => {
  it('a spec of 5 MB is refused in one line, without echoing it', async () => {
    const doc = structuredClone(baseline);
    doc.cases[3]!.spec = { ...doc.cases[3]!.spec, x: 'a'.repeat(5_000_000) };
    const run = await seprofInProcess(['compare', baselinePath, write('huge-spec.json', JSON.stringify(doc))]);
    expectOneLineFailure(run, 2, /huge-spec\.json: case '[^']+': has a spec of 5,000,\d{3} characters, at most 1,048,576/);
    expect(run.stderr.length).toBeLessThan(300);
  });

  it('a changed spec of 500 KB and every count moved: every row shown, no row padded to the spec', async () => {
    const doc = structuredClone(baseline);
    for (const c of doc.cases) {
      c.params += 1;
      for (const key of Object.keys(c.counts))
        c.counts[key] =
          BigInt(c.counts[key]!) + 1n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(BigInt(c.counts[key]!) + 1n) : String(BigInt(c.counts[key]!) + 1n);
    }
    doc.cases[0]!.spec = { ...doc.cases[0]!.spec, x: 'b'.repeat(500_000) };
    const edited = write('edited.json', JSON.stringify(doc));
    const quantities = doc.cases.length * (1 + Object.keys(doc.cases[0]!.counts).length); // params and each convention moved; buffers did not
    for (const format of ['table', 'markdown']) {
      const run = await seprofInProcess(['compare', baselinePath, edited, '--format', format, '--junit', join(dir, `edited-${format}.xml`)]);
      expect(run.code).toBe(1);
      const rows = run.stdout.split('\n').filter((line) => /^[│|] /.test(line) && !/^[│|] (Case|---) /.test(line));
      expect(rows).toHaveLength(quantities + 1); // and the spec
      for (const line of run.stdout.split('\n')) expect(line.length).toBeLessThan(1000);
      expect(run.stdout).toContain('(500,'); // the spec, cut, says how long it is
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(run.stderr.length).toBeLessThan(1000);
      expect(readFileSync(join(dir, `edited-${format}.xml`), 'utf8').length).toBeLessThan(quantities * 400);
    }
    // JSON keeps the spec whole: it is data, not a cell.
    const json = await seprofInProcess(['compare', baselinePath, edited, '--json']);
    expect(json.stdout).toContain('b'.repeat(500_000));
  });

  it('a table cell is cut at 200 characters, saying so', () => {
    const table = textTable(['Name', 'N'], [['n'.repeat(5000), '1']], { rightAligned: (i) => i === 1 });
    const line = table.split('\n')[3] ?? '';
    expect(line).toContain('… (5,000 characters)');
    expect(line.length).toBe(1 + (1 + 200 + 1) + 1 + (1 + 1 + 1) + 1); // borders, and each column padded by a space each side
  });

  it('a count of 101 digits is refused, 100 accepted (the documented limit); a negative one is no count', async () => {
    const doc = structuredClone(baseline);
    doc.cases[0]!.counts['thop'] = '9'.repeat(100);
    expect((await seprofInProcess(['compare', baselinePath, write('digits100.json', JSON.stringify(doc))])).code).toBe(1);
    doc.cases[0]!.counts['thop'] = `-${'9'.repeat(100)}`;
    expectOneLineFailure(
      await seprofInProcess(['compare', baselinePath, write('digits100neg.json', JSON.stringify(doc))]),
      2,
      /thop is -9+: a count is never negative/,
    );
    doc.cases[0]!.counts['thop'] = '9'.repeat(101);
    expectOneLineFailure(
      await seprofInProcess(['compare', baselinePath, write('digits101.json', JSON.stringify(doc))]),
      2,
      /thop has 101 characters: a count has at most 100 digits/,
    );
  });
});

/** A one-conv model whose weight is external data at `location`, beside it in `folder`. */
function externalModel(folder: string, location: string): string {
  mkdirSync(folder, { recursive: true });
  const spec: ModelSpec = {
    nodes: [{ op: 'Conv', inputs: ['x', 'w'], outputs: ['y'] }],
    initializers: [{ name: 'w', dims: [8, 8, 1, 1], externalData: [{ key: 'location', value: location }], dataLocation: 1 }],
  };
  const path = join(folder, 'model.onnx');
  writeFileSync(path, encodeModel(spec));
  return path;
}

describe('files a model names lead nowhere outside its folder (item 3)', () => {
  const outside = write('secret.bin', Buffer.alloc(100)); // shorter than the 256 bytes the weight needs

  it('external data linked to a file outside: refused, its size not told', async () => {
    const model = externalModel(join(dir, 'ext-link'), 'w.data');
    symlinkSync(outside, join(dir, 'ext-link', 'w.data'));
    const run = await seprofInProcess([model, '--no-measure']);
    expectOneLineFailure(run, 2, /external data 'w\.data' leads outside the model's folder/);
    expect(run.stderr).not.toMatch(/short|100|truncated/);
    const passwd = externalModel(join(dir, 'ext-passwd'), 'p.data');
    symlinkSync('/etc/passwd', join(dir, 'ext-passwd', 'p.data'));
    expectOneLineFailure(await seprofInProcess([passwd, '--no-measure']), 2, /external data 'p\.data' leads outside the model's folder/);
  });

  it('external data through a linked directory: refused; a link that stays inside: read', async () => {
    mkdirSync(join(dir, 'elsewhere'));
    writeFileSync(join(dir, 'elsewhere', 'w.data'), Buffer.alloc(256));
    const model = externalModel(join(dir, 'ext-dir'), 'd/w.data');
    symlinkSync(join(dir, 'elsewhere'), join(dir, 'ext-dir', 'd'));
    expectOneLineFailure(await seprofInProcess([model, '--no-measure']), 2, /external data 'd\/w\.data' leads outside the model's folder/);
    const inside = externalModel(join(dir, 'ext-inside'), 'w.data');
    writeFileSync(join(dir, 'ext-inside', 'real.data'), new Uint8Array(new Float32Array(64).fill(0.5).buffer));
    symlinkSync('real.data', join(dir, 'ext-inside', 'w.data'));
    const run = await seprofInProcess([inside]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('a TF.js weight path linked outside: refused', async () => {
    const folder = join(dir, 'tfjs');
    mkdirSync(folder);
    const model = {
      format: 'layers-model',
      modelTopology: {
        class_name: 'Sequential',
        config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, use_bias: false, batch_input_shape: [null, 4] } }] },
      },
      weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'd/kernel', shape: [4, 2], dtype: 'float32' }] }],
    };
    writeFileSync(join(folder, 'model.json'), JSON.stringify(model));
    symlinkSync(write('tfjs-secret.bin', Buffer.alloc(1000)), join(folder, 'w.bin'));
    const run = await seprofInProcess([join(folder, 'model.json'), '--no-measure']);
    expectOneLineFailure(run, 2, /weight file 'w\.bin' leads outside the model's folder/);
    expect(run.stderr).not.toContain('1000');
  });
});

describe('no output replaces an input (item 5)', () => {
  it('compare b.json b.json --junit b.json, and through a link or a hard link', async () => {
    const b = write('b.json', readFileSync(baselinePath));
    const before = readFileSync(b, 'utf8');
    expectOneLineFailure(await seprofInProcess(['compare', b, b, '--junit', b]), 2, /cannot write .*b\.json: it is an input of this run; write it elsewhere/);
    symlinkSync(b, join(dir, 'b-link.json'));
    expectOneLineFailure(await seprofInProcess(['compare', b, b, '--junit', join(dir, 'b-link.json')]), 2, /it is .*b\.json, an input of this run/);
    spawnSync('ln', [b, join(dir, 'b-hard.json')]);
    expectOneLineFailure(await seprofInProcess(['compare', baselinePath, join(dir, 'b-hard.json'), '--junit', b]), 2, /an input of this run/);
    expect(readFileSync(b, 'utf8')).toBe(before);
  });

  it('baseline --out onto its suite', async () => {
    const own = write('own-suite.json', readFileSync(suite));
    expectOneLineFailure(await seprofInProcess(['baseline', '--suite', own, '--out', own]), 2, /it is an input of this run/);
    expect(readFileSync(own, 'utf8')).toBe(readFileSync(suite, 'utf8'));
  });
});

describe('resources (item 8)', () => {
  it.each([
    ['--suite', (fifo: string) => ['report', '--suite', fifo, '--out', join(dir, 'never'), '--no-measure']],
    ['a compared report', (fifo: string) => ['compare', fifo, baselinePath]],
    ['--at-file', (fifo: string) => ['--at-file', fifo, '--no-measure']],
  ])('a FIFO as %s is refused, not waited on', async (_, args) => {
    const fifo = join(dir, `fifo-${readdirSync(dir).length}`);
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expectOneLineFailure(await seprofInProcess(args(fifo)), 2, /it is a named pipe \(FIFO\), and seprof reads regular files only/);
  });

  it('a suite past 64 MB is refused by its size, before it is read', async () => {
    const sparse = join(dir, 'sparse.json');
    expect(spawnSync('truncate', ['-s', '3G', sparse]).status).toBe(0);
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', sparse, '--out', join(dir, 'never'), '--no-measure']),
      2,
      /the suite .*sparse\.json is larger than 64 MB/,
    );
  });

  it('a model file of 1.9 GB of zeros is refused before it is read whole', () => {
    const zeros = join(dir, 'zeros.onnx');
    expect(spawnSync('truncate', ['-s', '1900M', zeros]).status).toBe(0);
    // A cap on the heap far below the file: reading it whole would fail, not refuse.
    const run = seprof([zeros, '--no-measure'], ['--max-old-space-size=256']);
    expectOneLineFailure(run, 2, /zeros\.onnx: not an ONNX model \(its first byte, 0x00, starts no protobuf field\)/);
  });

  it.each([
    ['--runs', '1000000000'],
    ['--warmup', '100001'],
    ['--runs', '9'.repeat(101)],
  ])('%s %s is refused, the bound stated', async (option, value) => {
    expectOneLineFailure(
      await seprofInProcess(['--channels', '16', '--reduction', '4', option, value]),
      2,
      new RegExp(`${option} (must be at most 100,000|is too large)`),
    );
  });

  const chain = (n: number): string => {
    const nodes = Array.from({ length: n }, (_, i) => ({ op: 'Relu', inputs: [i === 0 ? 'x' : `t${i - 1}`], outputs: [`t${i}`], name: `r${i}` }));
    return write(`chain-${n}.onnx`, encodeModel({ nodes }));
  };

  it('--add-se: 500 targets (its pace with 2,000 and more: npm run bench), each once; 10,000 repeats of a name and an empty name refused', async () => {
    const model = chain(500);
    const targets = Array.from({ length: 500 }, (_, i) => `r${i}`);
    const run = await seprofInProcess([model, '--add-se', targets.join(','), '--reduction', '2', '--no-measure', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as { file: { seBlocks: unknown[] }; layers: { name: string }[] };
    expect(doc.file.seBlocks).toHaveLength(500);
    // Each SE adds pool, fc1, relu, fc2, sigmoid, scale (six layers; flatten and reshape are views).
    expect(doc.layers.filter((l) => l.name.includes('_se')).length).toBe(500 * 6);
    expectOneLineFailure(await seprofInProcess([model, '--add-se', Array(10_000).fill('r5').join(','), '--no-measure']), 2, /--add-se names 'r5' twice/);
    expectOneLineFailure(await seprofInProcess([model, '--add-se', '', '--no-measure']), 2, /--add-se needs layer or node names/);
    expectOneLineFailure(await seprofInProcess([model, '--add-se', 'r1,,r2', '--no-measure']), 2, /--add-se needs layer or node names/);
  });

  it('a table of 5,000 nodes: every row, drawn as cli-table3 draws it (its pace: npm run bench)', async () => {
    const run = await seprofInProcess([chain(5_000), '--no-measure', '--depth', '1']);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /^│ r\d+ /.test(line));
    expect(rows).toHaveLength(5_000);
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
  });

  it("rows drawn by hand are cli-table3's, wide characters and alignment included", () => {
    const head = ['Layer', 'Op', 'N'];
    const rows = [
      ['a', 'relu', '1'],
      ['层一', 'conv', '12,345'],
      ['ｗｉｄｅ', 'x', ''],
      ['', '', '7'],
    ];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] === '层一' ? 4 : r[i] === 'ｗｉｄｅ' ? 8 : (r[i] ?? '').length))) + 2);
    const reference = new Table({
      head,
      colWidths: widths,
      style: { head: [], border: [] },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const r of rows) reference.push(r.map((content, i) => (i === 2 ? { content, hAlign: 'right' as const } : content)));
    const expected = reference.toString().split('\n');
    const ours = textTable(head, rows, { rightAligned: (i) => i === 2 }).split('\n');
    expect(ours.filter((_, i) => i !== 2)).toEqual(expected); // ours adds the rule under the header
  });

  it("a model file's weights are estimated above the run's real peak", () => {
    const values = 128 * 128 * 1024; // a 64 MB weight
    const model = write(
      'heavy.onnx',
      encodeModel({
        nodes: [
          { op: 'Flatten', inputs: ['x'], outputs: ['f'] },
          { op: 'MatMul', inputs: ['f', 'w'], outputs: ['y'] },
        ],
        initializers: [{ name: 'w', dims: [128, values / 128], rawData: new Uint8Array(new Float32Array(values).fill(0.001).buffer) }],
      }),
    );
    const estimate = seprof([model, '--max-memory', '1K']).stderr;
    const [, amount = '', unit = ''] = /it needs about ([\d.]+) (MB|GB)/.exec(estimate) ?? [];
    const estimated = Number(amount) * (unit === 'GB' ? 2 ** 30 : 2 ** 20);
    const peak = join(dir, 'peak.cjs');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is a program whose template literal runs there
    writeFileSync(peak, "process.on('exit', () => process.stderr.write(`peak ${process.resourceUsage().maxRSS * 1024}\\n`));");
    const run = seprof([model, '--max-memory', '8G'], ['-r', peak]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Check: +analytic and measured agree/);
    const measured = Number(/peak (\d+)/.exec(run.stderr)?.[1]);
    expect(measured).toBeGreaterThan(3 * values); // the weight's bytes and then some: the run did hold it
    expect(estimated).toBeGreaterThan(measured);
  });
});

describe('exit codes (item 10)', () => {
  it('a dangling set-like --out link, init FILE and --junit "" are user mistakes (exit 2)', async () => {
    const dangling = join(dir, 'dangling');
    symlinkSync('.dangling.seprof-1-0badc0de-12345678', dangling);
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', suite, '--out', dangling, '--no-measure']),
      2,
      /--out .*dangling is a link to a report set that is gone/,
    );
    const file = write('a-file', 'x');
    expectOneLineFailure(await seprofInProcess(['init', file]), 2, /a part of the path is a file, not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('x');
    expectOneLineFailure(await seprofInProcess(['compare', baselinePath, baselinePath, '--junit', '']), 2, /compare --junit needs a file name/);
    expectOneLineFailure(await seprofInProcess(['report', '--suite', suite, '--out', '', '--no-measure']), 2, /--out needs a directory/);
  });
});

// A full disk needs a file system of its own: a tmpfs, where this test may mount one.
const mountPoint = join(dir, 'mnt');
mkdirSync(mountPoint);
const mount = (options: string): boolean => spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint]).status === 0;
const canMount = process.platform === 'linux' && mount('size=8k');
if (canMount) spawnSync('umount', [mountPoint]);
afterAll(() => {
  if (canMount) spawnSync('umount', [mountPoint]);
});

describe.runIf(canMount)('init on a full disk (item 8)', () => {
  it('leaves nothing that blocks the retry', async () => {
    mount('size=8k'); // two pages: the suite and the baseline fit, the README does not
    const target = join(mountPoint, 'seprof');
    const run = await seprofInProcess(['init', target]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/no space left on the device/);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    spawnSync('umount', [mountPoint]);
    mount('size=1m');
    expect((await seprofInProcess(['init', target])).code).toBe(0);
    expect(readdirSync(target).sort()).toEqual(['.gitignore', 'README.md', 'baseline.json', 'suite.json']);
    spawnSync('umount', [mountPoint]);
  });
});
