// The library API: typed results with exact bigint counts, the CLI's JSON byte for byte, the
// CLI's checks as UsageError, and no tfjs on the analytic path. Counts derived here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compare, CONVENTION_KEYS, explain, profile, toJson, UsageError, type ProfileJsonOptions, type ProfileOptions, type ReportJson } from '../src/index';
import { ROOT, seprofInProcess } from './support/cli';
import { expectValid } from './support/schemas';

const work = mkdtempSync(join(tmpdir(), 'seprof-api-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ONNX = join(ROOT, 'test/fixtures/onnx/tiny_yolo_se.onnx');
const text = (doc: object): string => `${JSON.stringify(doc, null, 2)}\n`;

async function cliStdout(args: readonly string[], exitCode = 0): Promise<string> {
  const run = await seprofInProcess(args);
  expect(run.code, run.stderr).toBe(exitCode);
  return run.stdout;
}

describe('profile', () => {
  it('SE(512, r=8) on 512x7x7: params 2*C*m and thop B*C*(S+1) + 2*B*C*m, as bigint', async () => {
    const [B, C, S, m] = [1n, 512n, 49n, 64n];
    const result = await profile({ channels: 512, reduction: 8 });
    expect(result.totals.params).toBe(2n * C * m);
    expect(result.totals.counts.thop).toBe(B * C * (S + 1n) + 2n * B * C * m);
    expect(result.check.status).toBe('skipped');
    expect(result.measured).toBeUndefined();
  });

  it('keeps counts past 2^53 exact: SE(1, r=1) on 100000001 x 100000001', async () => {
    const side = 100_000_001n;
    const result = await profile({ channels: 1, reduction: 1, height: Number(side), width: Number(side) });
    expect(result.totals.counts.thop).toBe(side * side + 3n);
    expect(toJson(result).totals.counts['thop']).toBe((side * side + 3n).toString());
  });

  it('takes every kind of option: lists, switches, the field SE, networks', async () => {
    const inception = await profile({ block: 'se-inception', widths: [64, 96, 128, 16, 32, 32], branch3: '3x3x2', pool: 'avg', bias: true });
    expect(inception.spec).toMatchObject({ block: 'se-inception', bias: true, branch3: '3x3x2', pool: 'avg' });
    const net = await profile({ model: 'se-resnet50', seStages: [2, 3], layout: 'v1', bias: false });
    expect(net.spec).toMatchObject({ model: 'se-resnet50', seStages: [2, 3], layout: 'v1' });
    const field = await profile({ channels: 96, reduction: 4, seFc: 'conv1x1', seHidden: 'divisible:8', seGate: 'hardsigmoid' });
    // _make_divisible(96 // 4, 8) = 24; conv1x1 without bias: 2 * C * m params.
    expect(field.totals.params).toBe(2n * 96n * 24n);
  });
});

describe('toJson gives exactly the CLI JSON', () => {
  const cases: [string, ProfileOptions, string[], ProfileJsonOptions | undefined][] = [
    ['SE', { channels: 512, reduction: 8 }, ['--channels', '512', '--reduction', '8'], undefined],
    [
      'a network (tree at depth 2 by default) with --top',
      { model: 'efficientnet_b0' },
      ['--model', 'efficientnet_b0', '--top', '3', '--convention', 'fvcore'],
      { top: 3, convention: 'fvcore' },
    ],
    [
      '--training',
      { block: 'se-resnet', channels: 64, planes: 16, training: true },
      ['--block', 'se-resnet', '--channels', '64', '--planes', '16', '--training'],
      undefined,
    ],
    ['a model file (tree at depth 2 by default)', { file: ONNX }, ['--file', ONNX], undefined],
  ];
  it.each(cases)('%s', async (_, options, args, jsonOptions) => {
    const result = await profile(options);
    expect(text(toJson(result, jsonOptions))).toBe(await cliStdout([...args, '--no-measure', '--json']));
    expectValid('profile', toJson(result, jsonOptions));
  });

  it('explain', async () => {
    const result = await explain({ channels: 64, reference: 'fvcore', conventions: ['thop', 'flops'] });
    expect(result.reference).toBe('fvcore');
    expect(result.keys).toEqual(expect.arrayContaining(['thop', 'flops']));
    const cli = await cliStdout(['explain', '--channels', '64', '--convention', 'fvcore', '--conventions', 'thop,flops', '--no-measure', '--json']);
    expect(text(toJson(result))).toBe(cli);
    expectValid('explain', toJson(result));
  });

  it('compare, from documents or their text', async () => {
    const base = JSON.parse(await cliStdout(['sweep', '--channels', '16,32', '--no-measure', '--json'])) as ReportJson;
    const edited = structuredClone(base);
    const first = edited.cases[0];
    if (first === undefined) throw new Error('the sweep made no case');
    first.counts['thop'] = Number(first.counts['thop']) + 1;
    const comparison = compare(base, JSON.stringify(edited), { tolerance: '0' });
    expect(comparison.failures).toHaveLength(1);
    writeFileSync(join(work, 'base.json'), JSON.stringify(base));
    writeFileSync(join(work, 'edited.json'), JSON.stringify(edited));
    expect(text(toJson(comparison))).toBe(await cliStdout(['compare', join(work, 'base.json'), join(work, 'edited.json'), '--json'], 1));
    expect(compare(base, edited, { tolerance: 0.01 }).failures).toEqual([]);
    expectValid('compare', toJson(comparison));
    // The CLI's --tolerance thop=1% --fail-on change, typed; a decrease is an improvement by default.
    expect(compare(base, edited, { tolerance: { thop: '1%', '*': 0 }, failOn: 'change' }).failures).toEqual([]);
    expect(compare(edited, base).improvements).toHaveLength(1);
    expect(compare(edited, base, { failOn: 'change' }).failures).toHaveLength(1);
  });
});

describe('user mistakes throw UsageError', () => {
  const mistakes: [string, () => Promise<unknown>, RegExp][] = [
    ['a reduction larger than the channels', () => profile({ channels: 8, reduction: 16 }), /--reduction 16 is larger than the 8 channels/],
    ['an unknown option', () => profile({ channel: 8 } as never), /unknown option 'channel'/],
    ['a wrong type from JavaScript', () => profile({ channels: 8, bias: 'yes' } as never), /'bias' must be true or false/],
    ['a fraction', () => profile({ channels: 8.5 }), /--channels must be a whole number/],
    ['an option that does not apply', () => profile({ block: 'resnet', channels: 64, planes: 16, reduction: 4 }), /--reduction does not apply/],
    ['an unknown reference', () => explain({ channels: 8, reference: 'nope' as never }), /reference must be one of/],
    ['an unknown convention', () => explain({ channels: 8, conventions: ['nope' as never] }), /--conventions must be one of/],
    ['a report that is not one', async () => compare('{"cases": []}', '{}'), /not a seprof report/],
    ['a bad tolerance', async () => compare('{}', '{}', { tolerance: 'lots' }), /tolerance must be a fraction/],
    ['a bad failOn', async () => compare('{}', '{}', { failOn: 'up' as never }), /failOn must be one of increase, decrease, change/],
    ['an unknown quantity', async () => compare('{}', '{}', { tolerance: { param: 0 } }), /tolerance: unknown quantity 'param'/],
  ];
  it.each(mistakes)('%s', async (_, call, message) => {
    const error: unknown = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});

// A JavaScript caller gets no type check: what is not the call's input is one UsageError, never a TypeError.
describe('careless callers get UsageError, not TypeError', () => {
  const loop: Record<string, unknown> = {};
  loop['self'] = loop;
  const call = (f: unknown, ...args: unknown[]): Promise<unknown> => Promise.resolve().then(() => (f as (...a: unknown[]) => unknown)(...args));
  const result = profile({ channels: 16, reduction: 4 });
  const mistakes: [string, () => Promise<unknown>, RegExp][] = [
    ['profile()', () => call(profile), /^profile\(options\) must be an object of options, got nothing$/],
    ['profile(null)', () => call(profile, null), /^profile\(options\) must be an object of options, got null$/],
    ['a bigint, the type the library returns', () => call(profile, { channels: 512n }), /^option 'channels' must be a number or a string, got 512n$/],
    [
      'a value that contains itself',
      () => call(profile, { channels: loop }),
      /^option 'channels' must be a number or a string, got a value that contains itself$/,
    ],
    ['explain()', () => call(explain), /^explain\(options\) must be an object of options, got nothing$/],
    ['explain({ conventions: 5 })', () => call(explain, { conventions: 5 }), /^conventions must be an array of convention keys, got 5$/],
    [
      'compare given a Profile',
      async () => call(compare, await result, await result),
      /^base: compare takes report documents .* got an object holding bigints$/,
    ],
    ['compare given bigints', () => call(compare, 1n, 2n), /^base: compare takes report documents .* got 1n$/],
    [
      'compare given a report that contains itself',
      () => call(compare, { cases: loop }, '{}'),
      /^base: compare takes report documents .* got a value that contains itself$/,
    ],
    ['compare(a, b, null)', () => call(compare, '{}', '{}', null), /^compare\(base, head, options\) must be an object of options, got null$/],
    ['toJson(null)', () => call(toJson, null), /^toJson takes what profile\(\), explain\(\) or compare\(\) returned, got null$/],
    [
      'toJson of something else',
      () => call(toJson, { totals: 1 }),
      /^toJson takes what profile\(\), explain\(\) or compare\(\) returned: this is none of them$/,
    ],
    [
      'toJson with an unknown convention',
      async () => call(toJson, await result, { top: 3, convention: 'bogus' }),
      /^option 'convention' must be one of thop, .*; got "bogus"$/,
    ],
    ['toJson with top 0', async () => call(toJson, await result, { top: 0 }), /--top must be at least 1/],
    [
      'toJson with a depth that is not a number',
      async () => call(toJson, await result, { depth: [2] }),
      /^option 'depth' must be a whole number of at least 1, got \[2\]$/,
    ],
  ];
  it.each(mistakes)('%s', async (_, run, message) => {
    const error: unknown = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('toJson with top and a convention gives a document the schema accepts', async () => {
    expectValid('profile', toJson(await result, { top: 3, convention: 'fvcore' }));
  });
});

describe("by the package's name", () => {
  /** A node program in the repository, where `require('seprof')` resolves to the package itself through `exports`. */
  function node(program: string): { code: number | null; stdout: string; stderr: string } {
    const preload = join(ROOT, 'test/support/loaded-modules.cjs');
    const run = spawnSync(process.execPath, ['--require', preload, '-e', program], { cwd: ROOT, encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it('analytic: never loads tfjs', () => {
    const run = node(`require('seprof').profile({ channels: 512, reduction: 8 }).then((r) => console.log(String(r.totals.params)))`);
    expect(run.stdout.trim()).toBe(String(2 * 512 * 64));
    expect(run.stderr).toContain('tfjs-modules-loaded=0');
  });

  it('measure: true runs the model in tfjs and cross-checks it', () => {
    const run = node(
      `require('seprof').profile({ channels: 8, reduction: 2, measure: true, runs: 1, warmup: 0 }).then((r) => console.log(r.check.status, r.measured.backend.name))`,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^match (wasm|cpu|tensorflow)\n$/);
    expect(run.stderr).not.toContain('tfjs-modules-loaded=0');
  });

  it('exports the convention keys and the schemas', () => {
    const run = node(`const s = require('seprof'); console.log(s.CONVENTION_KEYS.join(','), require('seprof/schemas/profile.schema.json').$id)`);
    expect(run.stdout.trim()).toBe(`${CONVENTION_KEYS.join(',')} urn:seprof:schema:profile:1`);
  });
});
