// seprof init [DIR]: a starter suite, its baseline, a README with the CI job that uses them,
// and a .gitignore for what that job writes, for a repository that is not seprof's. Existing
// files are never overwritten.
import { existsSync } from 'node:fs';
import { basename, extname, join, posix, sep } from 'node:path';
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

/** The Node.js a CI job runs seprof on: the active LTS line (Node 20 left maintenance in April 2026). */
export const CI_NODE_VERSION = 24;

/** DIR as the README and the job (on Linux) spell it: with slashes, whatever system ran init. */
const slashed = (dir: string): string => dir.split(sep).join(posix.sep);

/** Where CI writes, inside DIR: the report set (a link beside its hidden set directory) and compare's files. */
function outputs(dir: string): { report: string; compareMd: string; compareXml: string } {
  return { report: posix.join(dir, 'report'), compareMd: posix.join(dir, 'compare.md'), compareXml: posix.join(dir, 'compare.xml') };
}

/** DIR/.gitignore: what CI writes into DIR never shows in `git status`. */
const GITIGNORE = `# What seprof writes here in CI (seprof init): the report set, the hidden set directories
# it links to, and compare's files.
/report
/.report.seprof-*
/compare.md
/compare.xml
`;

/** The GitHub Actions job for DIR, pinned to this seprof: the README's recipe and docs/ci.md's. */
export function workflow(dir: string, version: string): string {
  const seprof = `npx --yes seprof@${version}`;
  const { report, compareMd, compareXml } = outputs(dir);
  return `# .github/workflows/seprof.yml
name: model cost
on: [pull_request]
jobs:
  seprof:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: ${CI_NODE_VERSION}
      - name: Profile the suite (measured and cross-checked)
        run: >
          ${seprof} report --suite ${posix.join(dir, 'suite.json')} --out ${report} --quiet
          --link "\${{ github.server_url }}/\${{ github.repository }}/actions/runs/\${{ github.run_id }}"
      - name: Compare with the committed baseline
        run: >
          ${seprof} compare ${posix.join(dir, 'baseline.json')} ${posix.join(report, 'report.json')}
          --format markdown --junit ${compareXml} > ${compareMd}
      - name: Job summary
        if: always()
        run: cat ${compareMd} ${posix.join(report, 'summary.md')} >> "$GITHUB_STEP_SUMMARY"
      - name: Keep the report, charts and JUnit files
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: seprof-report
          path: |
            ${report}
            ${compareXml}
`;
}

function readme(dir: string, version: string): string {
  const suite = posix.join(dir, 'suite.json');
  const baseline = posix.join(dir, 'baseline.json');
  const { report } = outputs(dir);
  const indented = workflow(dir, version)
    .trimEnd()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `# seprof suite

Counts (params, MACs, FLOPs under 7 conventions) that CI checks on every change.

- \`suite.json\`: the cases. Each case's \`options\` are the options \`seprof\` takes on the
  command line, without the dashes: \`{"channels": 512, "reduction": 8}\`, \`{"model": "se-resnet50"}\`,
  \`{"file": "models/net.onnx"}\` (paths are relative to where seprof runs: the repository root).
- \`baseline.json\`: the counts CI compares against. It has no date: regenerating it with
  nothing changed leaves it byte-identical.
- \`.gitignore\`: keeps what CI writes here (\`report\`, compare's files) out of git.

Check, as the CI job below does: every case measured in TensorFlow.js and cross-checked, then
compared; a count that grew fails. Add \`--no-measure\` to \`report\`, here and in the job, for
counts only (seconds faster, no cross-check).

    npx --yes seprof@${version} report --suite ${suite} --out ${report}
    npx --yes seprof@${version} compare ${baseline} ${posix.join(report, 'report.json')}

Accept a change in counts (rewrites the counts only), then commit the file:

    npx --yes seprof@${version} baseline --suite ${suite} --out ${baseline}

## The CI job

Copy this into \`.github/workflows/seprof.yml\`. It pins seprof ${version}, which made the
baseline: a newer seprof may count differently, and says so in the baseline's diff when you
update both. Where links cannot be made (Windows), \`report\` writes \`--out\` as a plain
directory (\`--plain-out\` asks for that anywhere).

${indented}
`;
}

async function runInit(dir: string, flags: InitFlags, { toolVersion, progress }: CommandContext): Promise<Outcome> {
  const suitePath = join(dir, 'suite.json');
  const baselinePath = join(dir, 'baseline.json');
  const readmePath = join(dir, 'README.md');
  const ignorePath = join(dir, '.gitignore');
  const existing = [suitePath, baselinePath, readmePath, ignorePath].filter((path) => existsSync(path));
  if (existing.length > 0) throw new UsageError(`${existing.join(', ')} exist(s): seprof init does not overwrite files`);
  const suiteText = `${JSON.stringify({ description: `seprof's CI suite: see README.md beside it`, cases: chosenCases(flags) }, null, 2)}\n`;
  // Checked as report will read it, before anything is written.
  const cases = parseSuite(suiteText, suitePath);
  const baseline = await baselineText(cases, suitePath, toolVersion, progress(flags.quiet));
  const create = (path: string, text: string): SingleFile => ({ path, text, mode: 'create', what: 'seprof init' });
  return {
    stdout: '',
    singleFiles: [
      create(suitePath, suiteText),
      create(baselinePath, baseline),
      create(readmePath, readme(slashed(dir), toolVersion)),
      create(ignorePath, GITIGNORE),
    ],
    stderr: [
      `Wrote ${suitePath} (${cases.length} case(s)), ${baselinePath}, ${ignorePath} and ${readmePath}, which holds the CI job to copy into .github/workflows/`,
    ],
    failed: false,
  };
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addInitCommand(program: Command, context: CommandContext): void {
  const command = program
    .command('init')
    .description('write a starter suite, its baseline, a README with the CI job and a .gitignore into DIR for CI in your repository; never overwrites')
    .argument('[dir]', 'where to write suite.json, baseline.json, README.md and .gitignore', DEFAULT_DIR)
    .option('--model <name>', 'a case profiling this network (repeat for several; default: an SE block and se-resnet50)', collect)
    .option('--file <path>', 'a case profiling this model file, ONNX or TF.js (repeat for several)', collect);
  compose(command, quietOption, debugOption).action(async (dir: string, flags: InitFlags) => context.finish(await runInit(dir, flags, context)));
}
