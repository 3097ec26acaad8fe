// Property test: any one value of a GraphModel's model.json replaced by a hostile one exits
// 0, 1 on a listed mismatch, 2 or 3 (one line), never 4 (a crash). FUZZ_RUNS=2000 runs more.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { seprofInProcess } from './support/cli';
import { opsTour, seMobileNetBlock } from './support/graph-model';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);
const HOSTILE: readonly unknown[] = [0, -1, 1.5, 1e300, 2 ** 60, '', 'x', 'AAAA', '-9007199254740993', null, [], {}, [0], [null, 2 ** 60], true];

type Path = readonly (string | number)[];

function leafPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [path];
  const entries = Object.entries(value);
  return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => leafPaths(v, [...path, Array.isArray(value) ? Number(k) : k]));
}

function replaced(value: unknown, path: Path, by: unknown): unknown {
  if (path.length === 0) return by;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = replaced(copy[head], rest, by);
  return copy;
}

const bases = [seMobileNetBlock().files(), opsTour().files()];

it('any one value of a GraphModel model.json replaced: exit 0, 1 on a listed mismatch, 2 or 3, never 4', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'seprof-fuzz-graph-'));
  let runs = 0;
  const mutant = fc.nat(bases.length - 1).chain((b) => fc.tuple(fc.constant(b), fc.constantFrom(...leafPaths(bases[b]?.json))));
  await fc.assert(
    fc.asyncProperty(mutant, fc.constantFrom(...HOSTILE), fc.nat(9), async ([b, path], by, measure) => {
      const dir = join(tmp, String((runs += 1)));
      mkdirSync(dir);
      const base = bases[b] as (typeof bases)[number];
      writeFileSync(join(dir, 'model.json'), JSON.stringify(replaced(base.json, path, by)));
      writeFileSync(join(dir, 'group1-shard1of1.bin'), base.shard);
      // One run in ten measured (a mismatch must be listed, exit 1); the rest analytic, many more cases.
      const run = await seprofInProcess([join(dir, 'model.json'), '--max-memory', '256M', ...(measure === 0 ? [] : ['--no-measure'])]);
      expect([0, 1, 2, 3], `${JSON.stringify(path)} = ${JSON.stringify(by)}: ${run.stderr}`).toContain(run.code);
      if (run.code === 1) expect(run.stderr).toMatch(/analytic and measured counts differ/);
      if (run.code === 2 || run.code === 3) {
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(/^seprof: [^\n]*\n$/);
      }
    }),
    { numRuns: Math.max(30, Math.round(RUNS / 5)) },
  );
});
