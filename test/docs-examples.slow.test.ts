// Golden outputs for the documented examples: every example in README.md and docs/*.md is run
// in-process and its output compared byte for byte with what the page shows.
//
// An example is a fenced block with no info string whose first line is `$ seprof ARGS` or
// `$ npx seprof ARGS` (see docs/architecture.md, "Documented examples"). The rest of the block
// is what the command prints: stdout, then stderr (progress lines dropped), then `[exit N]` when
// the exit code is not 0. A trailing `  # comment` on the command line is not an argument.
//
// Regenerate every block from the current build:
//   UPDATE_DOCS=1 npx vitest run test/docs-examples.slow.test.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run';
import { ROOT } from './support/cli';

const UPDATE = process.env['UPDATE_DOCS'] === '1';
const FENCE = '```';
const COMMAND = /^\$ (?:npx )?seprof(?: |$)/;

export interface Example {
  file: string;
  /** 1-based line of the `$ seprof` line. */
  line: number;
  command: string;
  args: string[];
  expected: string;
  /** Line indices (0-based) of the block's body: [first, end). */
  bodyStart: number;
  bodyEnd: number;
}

/** Shell-like words: whitespace splits, single and double quotes group; nothing else is shell. */
export function words(command: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of command) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unclosed quote in: ${command}`);
  if (inWord) out.push(word);
  return out;
}

/** The command without a trailing `  # comment`. */
function withoutComment(command: string): string {
  const at = command.search(/\s+#/);
  return at === -1 ? command : command.slice(0, at);
}

export function examplesIn(file: string, text: string): Example[] {
  const lines = text.split('\n');
  const found: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith(FENCE)) continue;
    const info = lines[i]!.slice(FENCE.length);
    let end = i + 1;
    while (end < lines.length && lines[end] !== FENCE) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: unclosed fenced block`);
    const first = lines[i + 1] ?? '';
    if (info === '' && COMMAND.test(first)) {
      const command = withoutComment(first.slice(2));
      if (/[|<>;&`$]/.test(command)) throw new Error(`${file}:${i + 2}: an example runs seprof alone, no shell: ${command}`);
      const argv = words(command);
      const args = argv[0] === 'npx' ? argv.slice(2) : argv.slice(1);
      found.push({
        file,
        line: i + 2,
        command,
        args,
        expected: lines
          .slice(i + 2, end)
          .map((l) => `${l}\n`)
          .join(''),
        bodyStart: i + 2,
        bodyEnd: end,
      });
    }
    i = end;
  }
  return found;
}

const PROGRESS = /^seprof: \d+\/\d+ /;

/** What the page shows for a run: stdout, stderr without progress lines, and a non-zero exit code. */
export async function render(args: readonly string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  // Help text wraps at the terminal's width and is coloured on a terminal: the pages show a pipe (80 columns, no colour).
  const tty = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true, writable: true });
  let code: number;
  try {
    code = await runCli(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  } finally {
    if (tty === undefined) delete (process.stdout as { isTTY?: boolean }).isTTY;
    else Object.defineProperty(process.stdout, 'isTTY', tty);
  }
  const err = stderr
    .split(/(?<=\n)/)
    .filter((line) => !PROGRESS.test(line))
    .join('');
  const text = stdout + err + (code === 0 ? '' : `[exit ${code}]\n`);
  if (text !== '' && !text.endsWith('\n')) throw new Error(`output does not end with a newline: seprof ${args.join(' ')}`);
  return text;
}

const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** With tfjs-node installed, a measured run reports `tensorflow`: the pages show the default install (wasm). */
function tfjsNodeInstalled(): boolean {
  try {
    createRequire(join(ROOT, 'package.json')).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}
const BACKEND_LINE = /^(Backend: *|.*"backend":\{"name":")wasm/m;

describe('documented examples', () => {
  it('finds examples, and parses commands as a shell would for these', () => {
    expect(words(`--input 'a b'=1x3 "c" d`)).toEqual(['--input', 'a b=1x3', 'c', 'd']);
    const page = ['```', '$ npx seprof --channels 8  # a comment', 'out', '```', '```', 'seprof --not-an-example', '```', ''].join('\n');
    const [example, ...rest] = examplesIn('page.md', page);
    expect(rest).toEqual([]);
    expect(example).toMatchObject({ line: 2, args: ['--channels', '8'], expected: 'out\n' });
  });

  it('pins the README and the docs: examples are found, and no output is shown outside the marker', () => {
    const counts = PAGES.map((page) => examplesIn(page, readFileSync(join(ROOT, page), 'utf8')).length);
    expect(counts[0]).toBeGreaterThanOrEqual(3); // README.md
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(15);
    // A `$ seprof` block with an info string (```sh) would show an output nothing checks.
    const unpinned = PAGES.flatMap((page) =>
      readFileSync(join(ROOT, page), 'utf8')
        .split('\n')
        .flatMap((line, i, lines) => (/^```\S/.test(line) && /^\$ (npx )?seprof/.test(lines[i + 1] ?? '') ? [`${page}:${i + 2}`] : [])),
    );
    expect(unpinned).toEqual([]);
  });

  const skipMeasured = tfjsNodeInstalled();
  for (const page of PAGES) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    const examples = examplesIn(page, text);
    if (examples.length === 0) continue;
    describe(page, () => {
      const actual = new Map<Example, string>();
      for (const example of examples) {
        const skip = skipMeasured && BACKEND_LINE.test(example.expected);
        it.skipIf(skip)(`${page}:${example.line} $ seprof ${example.args.join(' ')}`, async () => {
          const output = await render(example.args);
          actual.set(example, output);
          if (!UPDATE) expect(output).toBe(example.expected);
        });
      }
      if (UPDATE) {
        it(`writes ${page}`, () => {
          const lines = readFileSync(join(ROOT, page), 'utf8').split('\n');
          // Bottom up, so that earlier blocks keep their line numbers.
          for (const example of [...examples].reverse()) {
            const output = actual.get(example);
            if (output === undefined) continue;
            const body = output === '' ? [] : output.slice(0, -1).split('\n');
            lines.splice(example.bodyStart, example.bodyEnd - example.bodyStart, ...body);
          }
          writeFileSync(join(ROOT, page), lines.join('\n'));
        });
      }
    });
  }
});
