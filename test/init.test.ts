// seprof init (issue 15, item 4): a starter suite and baseline for another repository, that
// report and compare then use as docs/ci.md says; existing files are never overwritten.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { workflow } from '../src/cli/init';
import { toolVersion } from '../src/version';
import { expectUsageError, ROOT, seprofInProcess } from './support/cli';

const root = mkdtempSync(join(tmpdir(), 'seprof-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const suiteOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as { cases: { name: string; options: object }[] };

describe('seprof init', () => {
  it('writes a suite with an SE example, its baseline and a README; compare finds nothing moved', async () => {
    const dir = join(root, 'default', 'seprof');
    const run = await seprofInProcess(['init', dir, '--quiet']);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toBe(
      `Wrote ${join(dir, 'suite.json')} (2 case(s)), ${join(dir, 'baseline.json')}, ${join(dir, '.gitignore')} and ${join(dir, 'README.md')}, which holds the CI job to copy into .github/workflows/\n`,
    );
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'baseline.json', 'suite.json']);
    expect(suiteOf(dir).cases.map((c) => c.name)).toEqual(['se-256-14x14-r16', 'se-resnet50']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(
      `seprof@${toolVersion()} baseline --suite ${join(dir, 'suite.json')} --out ${join(dir, 'baseline.json')}`,
    );

    const out = join(root, 'default', 'report');
    expect((await seprofInProcess(['report', '--suite', join(dir, 'suite.json'), '--out', out, '--no-measure', '--quiet'])).code).toBe(0);
    const compared = await seprofInProcess(['compare', join(dir, 'baseline.json'), join(out, 'report.json')]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).toMatch(/^OK: 2 case\(s\) compared/m);
  });

  it('takes the cases from --model and --file', async () => {
    const dir = join(root, 'chosen');
    const file = join(ROOT, 'test/fixtures/onnx/se_resnet_block.onnx');
    const run = await seprofInProcess(['init', dir, '--model', 'mobilenet_v3_small', '--model', 'se-resnet50', '--file', file, '--quiet']);
    expect(run.code).toBe(0);
    const cases = suiteOf(dir).cases;
    expect(cases.slice(0, 2)).toEqual([
      { name: 'mobilenet_v3_small', options: { model: 'mobilenet_v3_small' } },
      { name: 'se-resnet50', options: { model: 'se-resnet50' } },
    ]);
    expect(cases[2]).toEqual({ name: 'se_resnet_block', options: { file } });
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline.json'), 'utf8')) as { date: unknown; cases: unknown[] };
    expect({ date: baseline.date, cases: baseline.cases.length }).toEqual({ date: null, cases: 3 });
  });

  it('refuses to overwrite, and writes nothing then', async () => {
    const dir = join(root, 'existing');
    mkdirSync(dir);
    writeFileSync(join(dir, 'baseline.json'), 'mine');
    expectUsageError(await seprofInProcess(['init', dir]), /baseline\.json exist\(s\): seprof init does not overwrite files/);
    expect(readdirSync(dir)).toEqual(['baseline.json']);
    expect(readFileSync(join(dir, 'baseline.json'), 'utf8')).toBe('mine');
    const ignored = join(root, 'ignored');
    mkdirSync(ignored);
    writeFileSync(join(ignored, '.gitignore'), 'mine');
    expectUsageError(await seprofInProcess(['init', ignored]), /\.gitignore exist\(s\)/);
    expect(readdirSync(ignored)).toEqual(['.gitignore']);
  });

  it('checks the cases before writing anything', async () => {
    const dir = join(root, 'bad');
    expectUsageError(await seprofInProcess(['init', dir, '--model', 'resnet5']), /--model 'resnet5' is not a network seprof knows/);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('the CI job init hands over', () => {
  const dir = join(root, 'repo', 'seprof');
  const readme = async (): Promise<string> => {
    if (!existsSync(dir)) expect((await seprofInProcess(['init', dir, '--quiet'])).code).toBe(0);
    return readFileSync(join(dir, 'README.md'), 'utf8');
  };
  /** The README's indented block from its `# .github/workflows` line. */
  const jobIn = (text: string): string => {
    const from = text.indexOf('    # .github/workflows/seprof.yml');
    return text
      .slice(from)
      .split('\n')
      .map((line) => line.slice(4))
      .join('\n')
      .trimEnd();
  };

  it('is in the README it writes, the same job docs/ci.md shows, pinned to this seprof', async () => {
    const text = await readme();
    expect(jobIn(text)).toBe(workflow(dir, toolVersion()).trimEnd());
    const ci = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
    expect(ci).toContain(`\`\`\`yaml\n${workflow('seprof', toolVersion())}\`\`\``);
    expect(text).toContain(`npx --yes seprof@${toolVersion()} report`);
  });

  it("runs the README's commands as the job does: both measure, neither says --no-measure", async () => {
    const text = await readme();
    const report = (lines: string): string[] => lines.split('\n').filter((l) => / report --suite /.test(l));
    const [readmeReport, jobReport] = [report(text.slice(0, text.indexOf('## The CI job'))), report(jobIn(text))];
    expect(readmeReport).toHaveLength(1);
    expect(jobReport).toHaveLength(1);
    for (const line of [...readmeReport, ...jobReport]) expect(line).not.toContain('--no-measure');
  });

  it('runs on a maintained Node.js LTS line, not Node 20', async () => {
    const version = Number(/node-version: (\d+)/.exec(jobIn(await readme()))?.[1]);
    // Even majors are LTS; Node 20 left maintenance in April 2026 (nodejs.org's release schedule), 22 leaves it in April 2027.
    expect(version % 2).toBe(0);
    expect(version).toBeGreaterThanOrEqual(22);
  });

  it('leaves git status clean: the report set and compare files are ignored, plain or linked', async () => {
    const repo = join(root, 'git');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    mkdirSync(repo);
    expect(git('init', '-q').status).toBe(0);
    expect((await seprofInProcess(['init', join(repo, 'seprof'), '--quiet'])).code).toBe(0);
    expect(git('add', '.').status).toBe(0);
    expect(git('commit', '-qm', 'seprof').status).toBe(0);
    const suite = join(repo, 'seprof', 'suite.json');
    const out = join(repo, 'seprof', 'report');
    for (const plain of [false, true]) {
      const run = await seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure', '--quiet', ...(plain ? ['--plain-out'] : [])]);
      expect(run.code, run.stderr).toBe(0);
      expect(lstatSync(out).isSymbolicLink()).toBe(!plain);
      expect(existsSync(join(out, 'report.json'))).toBe(true);
      writeFileSync(join(repo, 'seprof', 'compare.md'), 'x');
      writeFileSync(join(repo, 'seprof', 'compare.xml'), 'x');
      expect(git('status', '--porcelain', '--ignored=no').stdout).toBe('');
    }
    // The plain set replaced the linked one whole, and no hidden set is left beside it.
    expect(readdirSync(join(repo, 'seprof')).filter((name) => name.startsWith('.report'))).toEqual([]);
  });
});
