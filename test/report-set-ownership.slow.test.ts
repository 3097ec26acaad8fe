// report --out never removes what seprof cannot prove it wrote (issue 23, items 1 and 8): a
// folder of a user's files that merely look like a report, a file added or edited inside a
// set, a model the suite names; and sets written from another PID namespace (a container on
// a shared volume) are not taken for abandoned ones while they may still be written.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MARKER } from '../src/fs/set-marker';
import { ROOT, expectOneLineFailure, seprofInProcess } from './support/cli';

const dir = mkdtempSync(join(tmpdir(), 'seprof-own-'));
const tiny = join(dir, 'tiny.json');
writeFileSync(tiny, JSON.stringify({ cases: [{ name: 'se-64', options: { channels: 64, reduction: 4 } }] }));
const report = (out: string, suite = tiny): ReturnType<typeof seprofInProcess> =>
  seprofInProcess(['report', '--suite', suite, '--out', out, '--no-measure', '--quiet']);
const REPORT_FILES = ['cost-by-op-kind.svg', 'junit.xml', 'report.json', 'report.md', 'summary.md'];

/** A directory holding these files, with this content. */
function folder(name: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

const contents = (path: string): Record<string, string> => Object.fromEntries(readdirSync(path).map((name) => [name, readFileSync(join(path, name), 'utf8')]));

describe("a user's folder that looks like a report (item 1)", () => {
  it.each([
    ['docs with an SVG', { 'architecture.svg': '<svg/>' }],
    ['a pytest test-results folder', { 'junit.xml': '<testsuites/>' }],
    ['every file name a report has', Object.fromEntries(REPORT_FILES.map((name) => [name, `mine: ${name}`]))],
  ])('%s: refused (exit 2), every file kept', async (label, files) => {
    const out = folder(label.replace(/\W+/g, '-'), files);
    expectOneLineFailure(await report(out), 2, /holds files seprof did not write/);
    expect(contents(out)).toEqual(files);
    expect(lstatSync(out).isDirectory()).toBe(true);
  });

  it('a set with a file the user added, or a report file edited, is refused and kept as it is', async () => {
    const out = join(dir, 'added');
    expect((await report(out)).code).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    expectOneLineFailure(await report(out), 2, /holds files seprof did not write, or changed since \(notes\.txt\)/);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    writeFileSync(join(out, 'notes.txt'), '');
    const edited = `${readFileSync(join(out, 'report.md'), 'utf8')}\nmy annotation\n`;
    writeFileSync(join(out, 'report.md'), edited);
    expectOneLineFailure(await report(out), 2, /\(notes\.txt, report\.md\)|\(report\.md, notes\.txt\)/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toBe(edited);
  });

  it('a model the suite names, inside --out, is refused and kept', async () => {
    const out = join(dir, 'with-model');
    expect((await report(out)).code).toBe(0);
    const model = join(out, 'block.onnx');
    copyFileSync(join(ROOT, 'test/fixtures/onnx/se_resnet_block.onnx'), model);
    const suite = join(dir, 'model-suite.json');
    writeFileSync(suite, JSON.stringify({ cases: [{ name: 'block', options: { file: model } }] }));
    expectOneLineFailure(await report(out, suite), 2, /holds .*block\.onnx, an input of this run/);
    expect(existsSync(model)).toBe(true);
  });

  it('a report set copied as a plain directory is proven by its marker and replaced', async () => {
    const first = join(dir, 'original');
    expect((await report(first)).code).toBe(0);
    const copy = folder('copied', contents(first));
    expect((await report(copy)).code).toBe(0);
    expect(lstatSync(copy).isSymbolicLink()).toBe(true);
    expect(readdirSync(copy).sort()).toEqual([MARKER, ...REPORT_FILES]);
  });
});

/** A set beside `out` named as written by `pid` in `namespace`: seprof's files, and a user's file if asked. */
async function strayFrom(out: string, random: string, pid: number, namespace: string, userFile: boolean): Promise<string> {
  const source = join(dir, `${random}-source`);
  expect((await report(source)).code).toBe(0);
  const path = join(dir, `.${basename(out)}.seprof-${pid}-${namespace}-${random}`);
  mkdirSync(path);
  for (const [file, text] of Object.entries(contents(source))) writeFileSync(join(path, file), text);
  if (userFile) writeFileSync(join(path, 'mine.txt'), 'mine');
  return path;
}

/** This process's namespace, as the name of a set written here (`probe`) carries it: `.probe.seprof-PID-NS-RANDOM`. */
const here = (): string => /^\.probe\.seprof-\d+-([0-9a-f]{8})-[0-9a-f]+$/.exec(readlinkSync(join(dir, 'probe')))?.[1] ?? 'none';

describe('sets of other runs (item 8)', () => {
  it('a fresh set from another PID namespace is kept; one past the lease, or of an ended process here, is removed', async () => {
    expect((await report(join(dir, 'probe'))).code).toBe(0);
    const out = join(dir, 'shared');
    // A pid that names no process here: kill(pid, 0) says ESRCH, which in another namespace proves nothing.
    const gone = 4_194_303;
    const other = here() === '0badc0de' ? '0badc0df' : '0badc0de';
    const foreign = await strayFrom(out, 'aaaa0001', gone, other, false);
    const foreignOld = await strayFrom(out, 'aaaa0002', gone, other, false);
    const foreignSamePid = await strayFrom(out, 'aaaa0005', process.pid, other, false);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(foreignOld, twoHoursAgo, twoHoursAgo);
    const local = await strayFrom(out, 'aaaa0003', gone, here(), false);
    const withMine = await strayFrom(out, 'aaaa0004', gone, here(), true);
    expect((await report(out)).code).toBe(0);
    expect(existsSync(foreign)).toBe(true);
    expect(existsSync(foreignSamePid)).toBe(true); // this process's pid, in another namespace: another process
    expect(existsSync(foreignOld)).toBe(false);
    expect(existsSync(local)).toBe(false);
    // The abandoned set's own files go; the user's file, and the marker beside it, stay.
    expect(readdirSync(withMine).sort()).toEqual([MARKER, 'mine.txt']);
  });

  const canUnshare =
    process.platform === 'linux' && spawnSync('unshare', ['--user', '--map-root-user', '--pid', '--fork', '--mount-proc', 'true']).status === 0;

  it.runIf(canUnshare)('a report run in another PID namespace records it, and its set survives a report here', async () => {
    const out = join(dir, 'containers');
    const inside = spawnSync(
      'unshare',
      [
        '--user',
        '--map-root-user',
        '--pid',
        '--fork',
        '--mount-proc',
        process.execPath,
        join(ROOT, 'bin/seprof'),
        'report',
        '--suite',
        tiny,
        '--out',
        out,
        '--no-measure',
        '--quiet',
      ],
      { encoding: 'utf8' },
    );
    expect(inside.status).toBe(0);
    const theirs = join(dir, readlinkSync(out));
    const [, pid, namespace] = /seprof-(\d+)-([0-9a-f]{8})-/.exec(theirs) ?? [];
    expect(namespace).not.toBe(here());
    expect(Number(pid)).toBeLessThan(10); // among the first processes of a fresh namespace
    expect((await report(out)).code).toBe(0);
    expect(existsSync(theirs)).toBe(true);
    expect(join(dir, readlinkSync(out))).not.toBe(theirs);
  });
});
