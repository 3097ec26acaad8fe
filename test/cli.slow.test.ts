// The CLI as users meet it: the main job, JSON for jq, and one clear line for every mistake.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, expectUsageError, seprof, seprofInProcess } from './support/cli';

describe('seprof --channels 512 --reduction 8', async () => {
  const run = await seprofInProcess(['--channels', '512', '--reduction', '8']);

  it('prints params, thop MACs, a measured match and exits 0', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Params:\s+65,536 \(65\.536K\)/);
    expect(run.stdout).toMatch(/MACs \(thop\):\s+91,136 \(91\.136K\)/);
    expect(run.stdout).toMatch(/Check:\s+analytic and measured agree on every layer/);
    expect(run.stdout).toMatch(/Backend:\s+(wasm|tensorflow|cpu) \(tfjs \d/);
    expect(run.stdout).not.toMatch(/Latency/);
    expect(run.stderr).toBe('');
  });

  it('lists one row per layer, in order', () => {
    const rows = run.stdout
      .split('\n')
      .map((line) => /^│ (\w+)/.exec(line)?.[1])
      .filter(Boolean);
    expect(rows).toEqual(['Layer', 'squeeze', 'fc1', 'relu', 'fc2', 'sigmoid', 'scale', 'Total']);
  });
});

describe('--json', async () => {
  const run = await seprofInProcess(['--channels', '512', '--reduction', '8', '--batch', '2', '--bias', '--json']);
  const doc = JSON.parse(run.stdout) as Record<string, any>;

  it('is one JSON document with every convention, exact', () => {
    expect(run.code).toBe(0);
    expect(doc['schemaVersion']).toBe(1);
    expect(doc['spec']).toMatchObject({ block: 'se', batch: 2, reduction: 8, bias: true, input: { channels: 512, height: 7, width: 7 } });
    // params 2*C*m + m + C; thop B*C*(S+1) + 2*B*C*m with B = 2.
    expect(doc['totals'].params).toBe(2 * 512 * 64 + 64 + 512);
    expect(doc['totals'].counts.thop).toBe(2 * 512 * 50 + 2 * 2 * 512 * 64);
    expect(Object.keys(doc['totals'].counts)).toEqual(['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet']);
    expect(doc['layers'].map((l: { name: string }) => l.name)).toEqual(['squeeze', 'fc1', 'relu', 'fc2', 'sigmoid', 'scale']);
    expect(doc['check']).toMatchObject({ status: 'match', mismatches: [] });
    expect(doc['latency']).toBeNull();
    expect(doc['backend'].name).toMatch(/wasm|tensorflow|cpu/);
  });
});

describe('--no-measure', () => {
  const run = seprof(['--channels', '64', '--no-measure', '--json'], ['--require', join(ROOT, 'test/support/loaded-modules.cjs')]);

  it('never loads tfjs and says the check was skipped', () => {
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('tfjs-modules-loaded=0');
    const doc = JSON.parse(run.stdout) as Record<string, any>;
    expect(doc['check'].status).toBe('skipped');
    expect(doc['latency']).toBeNull();
    expect(doc['backend']).toBeNull();
  });
});

describe('the seed job, --no-measure', () => {
  const run = seprof(['--channels', '512', '--reduction', '8', '--no-measure'], ['--require', join(ROOT, 'test/support/module-list.cjs')]);
  const loaded = JSON.parse(/^modules-loaded=(.*)$/m.exec(run.stderr)?.[1] ?? '[]') as string[];

  // What start-up costs is mostly loading modules: the main job loads only those it needs.
  // bin/seprof runs the bundle (dist/start.js); the preload lists the modules run inside it.
  it('runs the CLI from the bundle', () => {
    expect(loaded).toContain('dist/start.js');
    expect(loaded).not.toContain('dist/cli/main.js');
  });
  it.each([
    ['tfjs', /@tensorflow\//],
    ['protobufjs', /node_modules\/protobufjs\//],
    ['the model-file readers and graph machinery', /^dist\/model\/(file-model|model-file|onnx\/|tfjs-layers\/|graph\/(infer|edit|se-blocks|rules))/],
    ['the backward pass', /^dist\/analyzers\/backward\/(training|gradient-sums)\.js$/],
    ['the other formats', /^dist\/report\/(json|csv|markdown)\.js$/],
    ['the subcommands and --at', /^dist\/cli\/(sweep|report|compare|explain|paper|suite|insertion-points)\.js$/],
  ])('loads no %s', (_, pattern) => {
    expect(run.code).toBe(0);
    expect(loaded).toContain('dist/cli/profile.js');
    expect(loaded.filter((path) => pattern.test(path))).toEqual([]);
  });

  it('loads no node:crypto (only writing files needs it)', () => {
    const builtins = JSON.parse(/^builtins-loaded=(.*)$/m.exec(run.stderr)?.[1] ?? '[]') as string[];
    expect(builtins).toContain('fs');
    expect(builtins.filter((name) => name === 'crypto' || name.startsWith('internal/crypto/'))).toEqual([]);
  });
});

describe('other formats', () => {
  it('writes CSV with every convention and, with --total-row, a total row', async () => {
    const run = await seprofInProcess([
      '--channels',
      '16',
      '--reduction',
      '4',
      '--height',
      '2',
      '--width',
      '2',
      '--format',
      'csv',
      '--total-row',
      '--no-measure',
    ]);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('layer,op,output_shape,params,buffers,thop,fvcore,ptflops,ptflops-aten,macs,flops,senet');
    // C=16, m=4, S=4: thop = C*(S+1) + 2*C*m = 80 + 128.
    expect(lines.at(-1)).toBe(
      `total,,,128,0,${16 * 5 + 128},${16 * 4 + 128},${16 * 4 + 128 + 4 + 16 * 4 + 4},128,128,${64 + 256 + 4 + 64 + 64},${2 * 16 * 4 + 128}`,
    );
  });

  it('writes a markdown table', async () => {
    const run = await seprofInProcess(['--channels', '16', '--format', 'markdown', '--no-measure', '--conventions', 'thop,fvcore']);
    expect(run.stdout).toContain('| Layer | Op | Output | Params | MACs (thop) | FLOPs (fvcore) |');
    expect(run.stdout).toContain('| `fc1` | linear | 1x1 | 16 | 16 | 16 |');
  });
});

describe('user mistakes: one line on stderr, exit 2, nothing on stdout', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing channels', ['--reduction', '4'], /--channels is required/],
    ['zero', ['--channels', '0'], /--channels must be at least 1/],
    ['negative', ['--channels', '-4'], /--channels must be at least 1/],
    ['fraction', ['--channels', '64', '--reduction', '2.5'], /--reduction must be a whole number/],
    ['not a number', ['--channels', 'abc'], /--channels must be a whole number/],
    ['missing value', ['--channels'], /--channels needs a value/],
    ['reduction above channels', ['--channels', '8', '--reduction', '16'], /--reduction 16 is larger than the 8 channels of the input/],
    ['unknown option', ['--channels', '8', '--chanels', '8'], /unknown option '--chanels'/],
    ['unknown format', ['--channels', '64', '--format', 'xml'], /--format must be one of table, json, markdown, csv/],
    ['unknown convention', ['--channels', '64', '--convention', 'flop'], /--convention must be one of/],
    ['unknown backend', ['--channels', '64', '--backend', 'gpu'], /--backend must be one of auto, tensorflow, wasm, cpu/],
    ['zero runs', ['--channels', '64', '--runs', '0'], /--runs must be at least 1/],
    ['huge size', ['--channels', '99999999999999999999'], /--channels is too large/],
    [
      'unknown command',
      ['explian', '--channels', '64'],
      /unknown command 'explian' \(commands: help, explain, paper, sweep, report, compare, baseline, init, serve\)/,
    ],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    expectUsageError(await seprofInProcess([...args, '--no-measure']), message);
  });

  it('gives --json users the error as JSON on stderr', async () => {
    const run = await seprofInProcess(['--channels', '0', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stderr)).toEqual({ error: { message: "--channels must be at least 1, got '0'", exitCode: 2 } });
  });

  it('prints the stack only with --debug', async () => {
    const run = await seprofInProcess(['--channels', '0', '--debug']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});

describe('--help', () => {
  it('bare `seprof` prints the ways to run it on stderr and exits 2, not a missing --channels', async () => {
    const run = await seprofInProcess([]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^Usage: seprof --channels C \[options\]/);
    expect(run.stderr).toMatch(/^ +seprof --model NAME/m);
    expect(run.stderr).toMatch(/^ +seprof FILE/m);
    for (const command of ['explain', 'paper', 'sweep', 'report', 'compare', 'baseline', 'init']) expect(run.stderr).toContain(command);
    expect(run.stderr).not.toMatch(/required/);
    expect(Math.max(...run.stderr.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('groups the main options into sections, each option in one, every line within 80 columns', async () => {
    const run = await seprofInProcess(['--help']);
    const headings = run.stdout.split('\n').filter((line) => /^\S.*:$/.test(line));
    expect(headings).toEqual([
      'An SE block (the default):',
      'ResNet and Inception blocks (--block):',
      'Networks (--model):',
      'Model files (--file or a bare path):',
      'Measuring and timing:',
      'What to show:',
      'Output:',
      'Other:',
      'Commands:',
    ]);
    const section = (heading: string): string => run.stdout.split(`\n${heading}\n`)[1]?.split('\n\n')[0] ?? '';
    expect(section('An SE block (the default):')).toMatch(/^ +--channels <C>/m);
    expect(section('Networks (--model):')).toMatch(/^ +--model <name>/m);
    expect(section('Model files (--file or a bare path):')).toMatch(/^ +--file <path>/m);
    expect(section('Other:')).toMatch(/^ +-h, --help/m);
    expect(run.stdout.match(/^ +--channels </gm)).toHaveLength(1);
    expect(Math.max(...run.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('keeps a command with few options in one section', async () => {
    const run = await seprofInProcess(['paper', '--help']);
    expect(run.stdout.split('\n').filter((line) => /^\S.*:$/.test(line))).toEqual(['Options:']);
  });

  it.each([['report'], ['sweep'], []])('%s --help names every convention --convention takes', async (...command) => {
    const run = await seprofInProcess([...command.filter(Boolean), '--help']);
    const text = run.stdout.replace(/\s+/g, ' ');
    for (const key of ['thop', 'fvcore', 'ptflops', 'ptflops-aten', 'macs', 'flops', 'senet']) expect(text).toMatch(new RegExp(`[ :,]${key}[ ,]`));
  });

  it('lists the options and every subcommand, and exits 0', async () => {
    const run = await seprofInProcess(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--channels <C>');
    for (const command of ['explain', 'paper', 'sweep', 'report', 'compare', 'init', 'help']) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each([[[]], [['sweep']], [['report']], [['compare']], [['init']]])('seprof help %j is the same text as --help, exit 0', async (command) => {
    const help = await seprofInProcess(['help', ...command]);
    expect(help).toEqual(await seprofInProcess([...command, '--help']));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: seprof /);
  });

  it.each([
    [['help', 'bogus'], /unknown command 'bogus'/],
    [['help', 'sweep', 'report'], /help takes at most one command/],
  ])('seprof %j is a usage error', async (argv, message) => {
    expectUsageError(await seprofInProcess(argv), message);
  });
});
