// `--at CxHxW` (repeatable) and `--at-file`: SE's cost at each insertion point of a network.
import { profile } from '../analyzers/profile';
import { UsageError } from '../errors';
import { readInputText } from '../fs/read';
import { chwShape } from '../parse';
import { renderPoints } from '../report/profile/points';
import type { RenderOptions } from '../report/render-options';
import { buildSpec, type SeSpec } from '../model/spec';
import * as parse from './options';
import { within } from './within';
import { outcome, type Outcome } from './outcome';

/** More points than any network has insertion points: beyond this a file is a mistake. */
export const MAX_POINTS = 10_000;

interface PointShape {
  shape: string;
  /** The line it was read from, `FILE:LINE`; absent for a `--at` value. */
  line?: string;
}

function readPointsFile(path: string): PointShape[] {
  const text = readInputText(path, `--at-file ${path}`);
  const points = text.split(/\r?\n/).flatMap((line, i) => {
    const shape = line.replace(/#.*/, '').trim();
    return shape === '' ? [] : [{ shape, line: `${path}:${i + 1}` }];
  });
  if (points.length === 0) throw new UsageError(`--at-file ${path} lists no CxHxW shape`);
  return points;
}

/** The SE specs of the insertion points, or undefined when none were asked for. */
export function insertionPoints(flags: parse.ProfileFlags): SeSpec[] | undefined {
  const shapes: PointShape[] = [...(flags.at ?? []).map((shape) => ({ shape })), ...(flags.atFile === undefined ? [] : readPointsFile(flags.atFile))];
  if (shapes.length === 0) return undefined;
  if (shapes.length > MAX_POINTS) throw new UsageError(`${shapes.length} insertion points: at most ${MAX_POINTS.toLocaleString('en-US')} in one run`);
  for (const given of ['channels', 'height', 'width'] as const) {
    if (flags[given] !== undefined) throw new UsageError(`--at gives C, H and W of each point: drop --${given}`);
  }
  if (flags.block !== undefined && flags.block !== 'se') throw new UsageError('--at profiles SE modules: drop --block');
  return shapes.map(({ shape, line }) => {
    // A --at value's own mistake names --at; one read from a file, its file and line. A mistake
    // of the point with the other options names the point.
    const [channels, height, width] = line === undefined ? chwShape('at', shape) : within(line, () => chwShape('at', shape));
    return within(line ?? `--at ${shape}`, () =>
      buildSpec({ ...flags, block: 'se', channels: String(channels), height: String(height), width: String(width) }),
    ) as SeSpec;
  });
}

export async function runInsertionPoints(specs: SeSpec[], flags: parse.ProfileFlags, shown: RenderOptions): Promise<Outcome> {
  const options = parse.profileOptions(flags);
  const profiles = [];
  for (const spec of specs) profiles.push(await profile(spec, options));
  const stdout = renderPoints(profiles, shown);
  const skipped = flags.measure
    ? profiles.flatMap(({ spec: { input }, check }) =>
        check.status === 'skipped' ? [`seprof: measured run skipped at ${input.channels}x${input.height}x${input.width}: ${check.reason}`] : [],
      )
    : [];
  const failed = profiles.filter((p) => p.check.status === 'mismatch').length;
  if (failed === 0) return outcome(stdout, skipped);
  return outcome(stdout, [...skipped, `seprof: analytic and measured counts differ at ${failed} insertion point(s)`], true);
}
