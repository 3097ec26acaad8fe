// `seprof paper`: the SENet paper's complexity figures beside seprof's counts.
import type { Command } from 'commander';
import { flopsRows, paramsRows, reproduction, seShareRows } from '../paper';
import { renderPaperJson, renderPaperText, type PaperReport } from '../report/paper/paper';
import { compose, debugOption, formatOptions } from './option-groups';
import * as parse from './options';
import { outcome, type CommandContext } from './outcome';

const PAPER_FORMATS = ['table', 'json', 'markdown'] as const;

function collect(): PaperReport {
  const flops = flopsRows();
  const best = reproduction(flops)[0] ?? { key: 'macs v1', reproduced: 0 };
  return { best, flops, params: paramsRows(), seShares: seShareRows() };
}

export function addPaperCommand(program: Command, { toolVersion, finish, width }: CommandContext): void {
  const command = program.command('paper').description("the SENet paper's complexity figures beside seprof's counts, and which convention reproduces them");
  compose(command, formatOptions(PAPER_FORMATS), debugOption).action((flags: { format?: string; json?: boolean }) => {
    const format = parse.format(flags, PAPER_FORMATS);
    const report = collect();
    finish(outcome(format === 'json' ? renderPaperJson(report, toolVersion) : renderPaperText(report, format === 'markdown', width)));
  });
}
