// Hostile input and a hostile machine (issue 10, items 4-10): every failure is one line with
// its own exit code, no stack trace, nothing half-written; no input makes seprof hang.
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, expectOneLineFailure, seprofInProcess } from './support/cli';

const dir = mkdtempSync(join(tmpdir(), 'seprof-io-'));
const write = (name: string, text: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const suiteOf = (cases: { name: string; options: object }[]): string => JSON.stringify({ cases });
const tiny = write('tiny.json', suiteOf([{ name: 'se-64', options: { channels: 64, reduction: 4 } }]));

/** A shell pipeline: the exit code of seprof (the first command), stdout of the last, stderr of both. */
function pipeline(args: string, reader: string): { code: number; stderr: string } {
  const script = `node ${JSON.stringify(join(ROOT, 'bin/seprof'))} ${args} | ${reader} > /dev/null; exit \${PIPESTATUS[0]}`;
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: ROOT });
  return { code: run.status ?? -1, stderr: run.stderr };
}

describe('stdout closed or full (item 6)', () => {
  it.each([
    ['--channels 512 --reduction 8 --no-measure --json', 'head -c 100'],
    ['sweep --channels 64..4096x2 --reduction 2,4,8 --no-measure', 'head -1'],
    ['sweep --help', 'head -1'],
    ['paper', 'head -1'],
  ])('seprof %s | %s: exit 0, nothing on stderr', (args, reader) => {
    expect(pipeline(args, reader)).toEqual({ code: 0, stderr: '' });
  });

  it('a full disk on stdout is one line and exit 3', () => {
    const run = spawnSync('bash', ['-c', `node bin/seprof --channels 64 --no-measure > /dev/full`], { encoding: 'utf8', cwd: ROOT });
    expect(run.status).toBe(3);
    expect(run.stderr).toBe('seprof: cannot write to stdout: no space left on the device (ENOSPC)\n');
  });
});

describe('messages (item 10)', () => {
  it('accepts a suite with a UTF-8 byte order mark', async () => {
    const suite = write('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(tiny)]));
    const run = await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'bom-out'), '--no-measure']);
    expect(run.code).toBe(0);
  });

  it('a JSON syntax error is one line naming the file, line and column, without the file text', async () => {
    const suite = write('broken.json', '{"cases": [\n  {"name": "a",\n   "options": {"channels": 8}}\n]x}');
    const run = await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'x'), '--no-measure']);
    expectOneLineFailure(run, 2, /broken\.json: not valid JSON at line 4:2: expected ',' or '}' after property value/);
    expect(run.stderr).not.toContain('"name"');
  });

  it('a bad line in --at-file names the file and the line', async () => {
    const points = write('points.txt', '# SE-ResNet stages\n256x56x56\n512 by 28\n');
    expectOneLineFailure(await seprofInProcess(['--at-file', points, '--no-measure']), 2, /points\.txt:3: --at takes CxHxW, e\.g\. 512x7x7; got '512 by 28'/);
  });

  it('an option without its value says so, not "too many arguments"', async () => {
    expectOneLineFailure(await seprofInProcess(['--channels', '--reduction', '4']), 2, /^seprof: --channels needs a value, but --reduction follows it\n$/);
    expectOneLineFailure(await seprofInProcess(['sweep', '--reduction', '--channels', '64']), 2, /--reduction needs a value/);
  });

  it.each(['explain', 'paper', 'sweep', 'report', 'compare'])('%s --version prints the version and exits 0', async (command) => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await seprofInProcess([command, '--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('a sweep whose cases the memory guard skipped says why, not "--no-measure"', async () => {
    const run = await seprofInProcess(['sweep', '--channels', '64,128', '--height', '1024', '--width', '1024', '--max-memory', '1M']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Check: not measured \(it needs about 768 MB, above the memory budget of 1 MB \(--max-memory\); and 1 other reason\(s\)\)/m);
    expect(run.stderr).toMatch(/^seprof: measured run skipped in 2 of 2 case\(s\): it needs about/);
  });

  it('an insertion point the memory guard skipped says why', async () => {
    const run = await seprofInProcess(['--at', '512x1024x1024', '--max-memory', '1M']);
    expect(run.stderr).toMatch(
      /^seprof: measured run skipped at 512x1024x1024: it needs about [\d.]+ [KMGT]?B, above the memory budget of 1 MB \(--max-memory\)\n$/,
    );
  });
});

describe('internal limits are refused, never hit (item 5)', () => {
  it('--max-memory beyond the machine is a usage error, not "Invalid typed array length"', async () => {
    expectOneLineFailure(
      await seprofInProcess(['--channels', '256', '--height', '4096', '--width', '4096', '--max-memory', '1000T']),
      2,
      /--max-memory 1000T is more than this machine's \d+ MB of memory/,
    );
  });
});

describe('unbounded input is refused (item 7)', () => {
  it('--suite /dev/zero', async () => {
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', '/dev/zero', '--out', join(dir, 'x'), '--no-measure']),
      2,
      /cannot read the suite \/dev\/zero: it is a device, and seprof reads regular files only/,
    );
  });

  it('a suite of more than 10,000 cases', async () => {
    const cases = Array.from({ length: 10_001 }, (_, i) => ({ name: `c${i}`, options: { channels: 64 } }));
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', write('huge.json', suiteOf(cases)), '--out', join(dir, 'x'), '--no-measure']),
      2,
      /10001 cases, at most 10000 in one suite/,
    );
  });

  it('more than 10,000 insertion points', async () => {
    const shapes = (n: number) => Array.from({ length: n }, (_, i) => `${64 + i}x7x7`).join('\n');
    expectOneLineFailure(
      await seprofInProcess(['--at-file', write('many.txt', shapes(10_001)), '--no-measure']),
      2,
      /10001 insertion points: at most 10,000 in one run/,
    );
  });

  const baseline = JSON.parse(readFileSync(join(ROOT, 'reports/baseline.json'), 'utf8')) as { cases: Record<string, any>[] };
  it('JSON nested 200,000 deep, in a suite and in a compared report', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const suite = write('deep.json', `{"cases": [{"name": "a", "options": {"channels": ${deep}}}]}`);
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'x'), '--no-measure']),
      2,
      /deep\.json: nested deeper than 100 levels at line 1:\d+/,
    );
    const report = write('deep-report.json', readFileSync(join(ROOT, 'reports/baseline.json'), 'utf8').replace('"spec": {', `"spec": {"x": ${deep},`));
    expectOneLineFailure(
      await seprofInProcess(['compare', report, join(ROOT, 'reports/baseline.json')]),
      2,
      /deep-report\.json: nested deeper than 100 levels/,
    );
  });

  it('a case name of 10,000,000 characters (copied into every row, it once overflowed the string limit)', async () => {
    const name = 'n'.repeat(10_000_000);
    const suite = write('long-name.json', suiteOf([{ name, options: { channels: 64 } }]));
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'x'), '--no-measure']),
      2,
      /long-name\.json: case 1: "name" has 10000000 characters, at most 200/,
    );
  });

  it('a count of 1,000,000 digits in a compared file', async () => {
    const doc = structuredClone(baseline);
    doc.cases[0]!['counts'].thop = '9'.repeat(1_000_000);
    const run = await seprofInProcess(['compare', join(ROOT, 'reports/baseline.json'), write('digits.json', JSON.stringify(doc))]);
    expectOneLineFailure(run, 2, /digits\.json: case 'se-512-7x7-r2': thop has 1000000 characters: a count has at most 100 digits/);
  });
});

const HOSTILE = [
  'pipe | in | name',
  'tick`s` and ``more``',
  '<img src=x onerror=alert(1)>&amp;',
  'new\nline',
  '[click](javascript:alert(1))',
  'ansi \u001b[31mred\u001b[0m osc \u001b]0;owned\u0007 end',
];

describe('markdown and terminal injection (item 8)', () => {
  const suite = write('hostile.json', suiteOf(HOSTILE.map((name, i) => ({ name, options: { channels: 64, reduction: 2 ** (i % 3) } }))));
  const out = join(dir, 'hostile-out');

  /** A tag, or a link to script, unless escaped; code spans show their text literally, so they are left out. */
  const MARKUP = /<[a-z]|(?<!\\)\]\(javascript:/i;
  const outsideCode = (md: string): string => md.replace(/(`+)[^\n]*?\1/g, '');

  /** A markdown table row's cells: split on pipes that no backslash escapes. */
  const cellsOf = (row: string): number => row.replace(/\\\|/g, '').split('|').length - 2;

  it('report.md shows every name literally: no tag, link, broken code span or split row', async () => {
    const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure']);
    expect(run.code).toBe(0);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    // seprof's own collapsed sections are the only tags: a user's name in them is text.
    expect(outsideCode(md).replace(/<\/?(?:details|summary|b)>|<details open>/g, '')).not.toMatch(MARKUP);
    expect(md).not.toMatch(/\u001b|\u0007/);
    const summary = md.split('\n').filter((l) => l.startsWith('| ') && l.includes('| SEAttention('));
    expect(summary).toHaveLength(HOSTILE.length);
    for (const row of summary) expect(cellsOf(row)).toBe(6); // no Latency ms column: timing is opt-in
    expect(md).toContain('<summary><b>tick`s` and ``more``</b>');
    expect(md).toContain('<summary><b>&lt;img src=x onerror=alert(1)&gt;&amp;amp;</b>');
    expect(md).toContain('<summary><b>new line</b>');
  });

  it('the terminal table carries no escape sequence', async () => {
    const run = await seprofInProcess(['report', '--suite', suite, '--out', join(dir, 'hostile-2'), '--no-measure']);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(run.stdout).toContain('ansi red osc  end');
  });

  it('compare --format markdown escapes names from the compared files', async () => {
    const base = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { cases: { params: number; name: string }[] };
    const next = structuredClone(base);
    for (const c of next.cases) c.params += 1;
    next.cases.push({ ...next.cases[0]!, name: '<script>alert(1)</script>' });
    const run = await seprofInProcess(['compare', join(out, 'report.json'), write('hostile-new.json', JSON.stringify(next)), '--format', 'markdown']);
    expect(run.code).toBe(1);
    // Outside code spans (which show their text literally) no markup is left.
    expect(outsideCode(run.stdout)).not.toMatch(MARKUP);
    expect(run.stdout).toContain('`<script>alert(1)</script>`');
    expect(run.stdout).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;amp;');
    for (const row of run.stdout.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Case'))) expect(cellsOf(row)).toBe(7);
  });
});

describe('the report set (items 4 and 9)', () => {
  it('replaces an earlier set whole; the --out name links to the complete set, no temporaries remain', async () => {
    const out = join(dir, 'set');
    for (let i = 0; i < 3; i++) expect((await seprofInProcess(['report', '--suite', tiny, '--out', out, '--no-measure'])).code).toBe(0);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['.seprof-set.json', 'cost-by-op-kind.svg', 'junit.xml', 'report.json', 'report.md', 'summary.md']);
    expect(readdirSync(dir).filter((name) => name.includes('.set.seprof-'))).toHaveLength(1);
  });

  it('refuses a plain directory of report-like files it cannot prove it wrote (issue 23, item 1)', async () => {
    const out = join(dir, 'plain');
    mkdirSync(out);
    writeFileSync(join(out, 'report.json'), '{}');
    writeFileSync(join(out, 'old-chart.svg'), '<svg/>');
    expectOneLineFailure(await seprofInProcess(['report', '--suite', tiny, '--out', out, '--no-measure']), 2, /holds files seprof did not write/);
    expect(readdirSync(out).sort()).toEqual(['old-chart.svg', 'report.json']);
  });

  it.each([
    ['holds other files', 'notes', (out: string) => writeFileSync(join(out, 'notes.txt'), 'mine')],
    ['has a directory named junit.xml in the way', 'junit', (out: string) => mkdirSync(join(out, 'junit.xml'))],
  ])('refuses an --out that %s, and writes nothing', async (_, name, prepare) => {
    const out = join(dir, `crowded-${name}`);
    mkdirSync(out);
    prepare(out);
    const before = readdirSync(out);
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', tiny, '--out', out, '--no-measure']),
      2,
      /--out .*crowded-\w+ holds files seprof did not write/,
    );
    expect(readdirSync(out)).toEqual(before);
    expect(readdirSync(dir).filter((name) => name.includes('crowded') && name.startsWith('.'))).toEqual([]);
  });

  it('refuses to write over its input: --suite DIR/report.json --out DIR', async () => {
    const out = join(dir, 'self');
    await seprofInProcess(['report', '--suite', tiny, '--out', out, '--no-measure']);
    writeFileSync(join(out, 'suite.json'), readFileSync(tiny));
    const before = readFileSync(join(out, 'report.json'), 'utf8');
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', join(out, 'suite.json'), '--out', out, '--no-measure']),
      2,
      /--out .*self holds .*suite\.json, an input of this run/,
    );
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(before);
  });

  it('an --out below a file is a usage error', async () => {
    expectOneLineFailure(await seprofInProcess(['report', '--suite', tiny, '--out', join(tiny, 'sub'), '--no-measure']), 2, /a part of the path is a file/);
  });
});

// A full or read-only disk needs a file system of its own: a tmpfs, where this test may mount one.
const mountPoint = join(dir, 'mnt');
mkdirSync(mountPoint);
const mount = (options: string): boolean => spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint]).status === 0;
const canMount = process.platform === 'linux' && mount('size=16k');
if (canMount) spawnSync('umount', [mountPoint]);
afterAll(() => {
  if (canMount) spawnSync('umount', [mountPoint]);
});

describe.runIf(canMount)("I/O failures: exit 3, one line naming the user's path (item 5)", () => {
  const suite = join(ROOT, 'reports/suite.json');

  it('a full disk (ENOSPC) leaves no temporaries', async () => {
    mount('size=16k');
    const out = join(mountPoint, 'out');
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure']),
      3,
      /^seprof: cannot write the report into .*mnt\/out: no space left on the device \(ENOSPC\)\n$/,
    );
    expect(readdirSync(mountPoint)).toEqual([]);
    spawnSync('umount', [mountPoint]);
  });

  it('a read-only file system (EROFS)', async () => {
    mount('ro');
    expectOneLineFailure(
      await seprofInProcess(['report', '--suite', suite, '--out', join(mountPoint, 'out'), '--no-measure']),
      3,
      /cannot write the report into .*mnt\/out: read-only file system \(EROFS\)/,
    );
    spawnSync('umount', [mountPoint]);
  });
});

it('docs/cli.md documents every exit code', () => {
  const readme = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  for (const code of [0, 1, 2, 3, 4]) expect(readme).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
});
