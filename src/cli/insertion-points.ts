// `--at CxHxW` (repeatable) and `--at-file`: SE's cost at each insertion point of a network.
import { readFileSync } from 'node:fs';
import { profile } from '../analyzers/profile';
import { EXIT_FAILED, UsageError } from '../errors';
import { chwShape } from '../parse';
import { renderPoints } from '../report/points';
import { buildSpec, type SeSpec } from '../model/spec';
import * as parse from './options';


function readPointsFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read --at-file ${path}: ${reason}`);
  }
  const lines = text.split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim());
  const points = lines.filter((line) => line !== '');
  if (points.length === 0) throw new UsageError(`--at-file ${path} lists no CxHxW shape`);
  return points;
}

/** The SE specs of the insertion points, or undefined when none were asked for. */
export function insertionPoints(flags: parse.ProfileFlags): SeSpec[] | undefined {
  const shapes = [...(flags.at ?? []), ...(flags.atFile === undefined ? [] : readPointsFile(flags.atFile))];
  if (shapes.length === 0) return undefined;
  for (const given of ['channels', 'height', 'width'] as const) {
    if (flags[given] !== undefined) throw new UsageError(`--at gives C, H and W of each point: drop --${given}`);
  }
  if (flags.block !== undefined && flags.block !== 'se') throw new UsageError('--at profiles SE modules: drop --block');
  return shapes.map((shape) => {
    const [channels, height, width] = chwShape('at', shape);
    const spec = buildSpec({ ...flags, block: 'se', channels: String(channels), height: String(height), width: String(width) });
    return spec as SeSpec;
  });
}

export async function runInsertionPoints(specs: SeSpec[], flags: parse.ProfileFlags, toolVersion: string): Promise<void> {
  const options = parse.profileOptions(flags);
  const profiles = [];
  for (const spec of specs) profiles.push(await profile(spec, options));
  const format = parse.format(flags);
  process.stdout.write(renderPoints(profiles, { format, columns: parse.columns(flags), toolVersion }));
  const failed = profiles.filter((p) => p.check.status === 'mismatch').length;
  if (failed > 0) {
    process.stderr.write(`seprof: analytic and measured counts differ at ${failed} insertion point(s)\n`);
    process.exitCode = EXIT_FAILED;
  }
}
