// seprof init [DIR]: a starter suite, its baseline and a README saying how CI uses them, for a
// repository that is not seprof's. Existing files are never overwritten.
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors';
import { baselineText } from './baseline';
import { compose, debugOption, quietOption } from './option-groups';
import type { CommandContext, Outcome, SingleFile } from './outcome';
import { parseSuite } from './suite';

export const DEFAULT_DIR = 'seprof';

interface InitFlags {
  model?: string[];
  file?: string[];
  quiet?: boolean;
}

interface SuiteCase {
  name: string;
  options: Record<string, string | number>;
}

/** Without --model or --file: an SE block at a ResNet stage-3 shape, and SE-ResNet-50. */
const EXAMPLE_CASES: readonly SuiteCase[] = [
  { name: 'se-256-14x14-r16', options: { channels: 256, height: 14, width: 14, reduction: 16 } },
  { name: 'se-resnet50', options: { model: 'se-resnet50' } },
];

function chosenCases(flags: InitFlags): SuiteCase[] {
  const models = (flags.model ?? []).map((model) => ({ name: model, options: { model } }));
  const files = (flags.file ?? []).map((file) => ({ name: basename(file, extname(file)), options: { file } }));
  return models.length + files.length === 0 ? [...EXAMPLE_CASES] : [...models, ...files];
}

function readme(dir: string): string {
  const suite = join(dir, 'suite.json');
  const baseline = join(dir, 'baseline.json');
  return `# seprof suite

Counts (params, MACs, FLOPs under 7 conventions) that CI checks on every change.

- \`suite.json\`: the cases. Each case's \`options\` are the options \`seprof\` takes on the
  command line, without the dashes: \`{"channels": 512, "reduction": 8}\`, \`{"model": "se-resnet50"}\`,
  \`{"file": "models/net.onnx"}\` (paths are relative to where seprof runs: the repository root).
- \`baseline.json\`: the counts CI compares against. It has no date: regenerating it with
  nothing changed leaves it byte-identical.

Check (what CI runs):

    npx seprof report --suite ${suite} --out seprof-report --no-measure
    npx seprof compare ${baseline} seprof-report/report.json

Accept a change in counts (rewrites the counts only), then commit the file:

    npx seprof baseline --suite ${suite} --out ${baseline}
`;
}

async function runInit(dir: string, flags: InitFlags, { toolVersion, progress }: CommandContext): Promise<Outcome> {
  const suitePath = join(dir, 'suite.json');
  const baselinePath = join(dir, 'baseline.json');
  const readmePath = join(dir, 'README.md');
  const existing = [suitePath, baselinePath, readmePath].filter((path) => existsSync(path));
  if (existing.length > 0) throw new UsageError(`${existing.join(', ')} exist(s): seprof init does not overwrite files`);
  const suiteText = `${JSON.stringify({ description: `seprof's CI suite: see README.md beside it`, cases: chosenCases(flags) }, null, 2)}\n`;
  // Checked as report will read it, before anything is written.
  const cases = parseSuite(suiteText, suitePath);
  const baseline = await baselineText(cases, suitePath, toolVersion, progress(flags.quiet));
  const create = (path: string, text: string): SingleFile => ({ path, text, mode: 'create', what: 'seprof init' });
  return {
    stdout: '',
    singleFiles: [create(suitePath, suiteText), create(baselinePath, baseline), create(readmePath, readme(dir))],
    stderr: [`Wrote ${suitePath} (${cases.length} case(s)), ${baselinePath} and ${readmePath}; CI recipe: docs/ci.md`],
    failed: false,
  };
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addInitCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('init')
    .description('write a starter suite, its baseline and a README into DIR for CI in your repository; never overwrites')
    .argument('[dir]', 'where to write suite.json, baseline.json and README.md', DEFAULT_DIR)
    .option('--model <name>', 'a case profiling this network (repeat for several; default: an SE block and se-resnet50)', collect)
    .option('--file <path>', 'a case profiling this model file, ONNX or TF.js (repeat for several)', collect);
  compose(command, quietOption, debugOption).action(async (dir: string, flags: InitFlags) => context.finish(await runInit(dir, flags, context)));
}
