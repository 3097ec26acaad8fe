// seprof init (issue 15, item 4): a starter suite and baseline for another repository, that
// report and compare then use as docs/ci.md says; existing files are never overwritten.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectUsageError, ROOT, seprofInProcess } from './support/cli';

const root = mkdtempSync(join(tmpdir(), 'seprof-init-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const suiteOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as { cases: { name: string; options: object }[] };

describe('seprof init', () => {
  it('writes a suite with an SE example, its baseline and a README; compare finds nothing moved', async () => {
    const dir = join(root, 'default', 'seprof');
    const run = await seprofInProcess(['init', dir, '--quiet']);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toMatch(/^Wrote .*suite\.json \(2 case\(s\)\), .*baseline\.json and .*README\.md; CI recipe: docs\/ci\.md\n$/);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'baseline.json', 'suite.json']);
    expect(suiteOf(dir).cases.map((c) => c.name)).toEqual(['se-256-14x14-r16', 'se-resnet50']);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(`seprof baseline --suite ${join(dir, 'suite.json')} --out ${join(dir, 'baseline.json')}`);

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
  });

  it('checks the cases before writing anything', async () => {
    const dir = join(root, 'bad');
    expectUsageError(await seprofInProcess(['init', dir, '--model', 'resnet5']), /--model 'resnet5' is not a network seprof knows/);
    expect(existsSync(dir)).toBe(false);
  });
});
