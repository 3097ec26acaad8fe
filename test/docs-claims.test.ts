// Claims in the docs' prose that no example block pins: each is read from the page and held
// against what seprof does, so that the page cannot drift from the tool.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyticOps } from '../src/analyzers/analytic';
import { countLayer, totalsOf, type Totals } from '../src/analyzers/count';
import { ROOT, seprofInProcess } from './support/cli';
import { specOf } from './support/grid';

const page = (name: string): string => readFileSync(join(ROOT, 'docs', name), 'utf8').replace(/\s*\n\s*/g, ' ');
const totals = (options: Record<string, string | number>): Totals => totalsOf(analyticOps(specOf(options)).map(countLayer));
/** `20.69` for 20,688,363,520: giga, to two decimals, as the page prints. */
const giga = (n: bigint | undefined): string => (Number(n ?? 0n) / 1e9).toFixed(2);

describe('paper.md', () => {
  it("gives SENet-154's params and each figure with the convention it is under", () => {
    const claim = /`seprof --model senet154`: ([\d,]+) params; ([\d.]+) GMACs under `macs`.*? and ([\d.]+) G under thop, the default column/.exec(
      page('paper.md'),
    );
    expect(claim).not.toBeNull();
    const t = totals({ model: 'senet154' });
    expect(claim?.[1]).toBe(t.params.toLocaleString('en-US'));
    expect(claim?.[2]).toBe(giga(t.counts['macs']));
    expect(claim?.[3]).toBe(giga(t.counts['thop']));
  });
});

describe('cli.md', () => {
  it('says --batch counts the whole batch but for ptflops, and it is so', async () => {
    expect(page('cli.md')).toMatch(
      /\| `--batch B` \| batch size; counts are for the whole batch, but ptflops' as ptflops reports them: its module hooks per image/,
    );
    const at = async (batch: number): Promise<Record<string, number>> =>
      (
        JSON.parse((await seprofInProcess(['--channels', '64', '--reduction', '4', '--batch', String(batch), '--no-measure', '--json'])).stdout) as {
          totals: { counts: Record<string, number> };
        }
      ).totals.counts;
    const [one, two] = [await at(1), await at(2)];
    for (const key of ['thop', 'fvcore', 'ptflops-aten', 'macs', 'flops', 'senet']) expect(two[key]).toBe(2 * (one[key] ?? 0));
    // ptflops: SE's Linear and Sigmoid hooks per image; the pool and ReLU patched functions per batch.
    expect(two['ptflops']).toBeGreaterThan(one['ptflops'] ?? 0);
    expect(two['ptflops']).toBeLessThan(2 * (one['ptflops'] ?? 0));
  });
});

describe('networks.md', () => {
  const text = page('networks.md');

  it("takes every timm name it lists, and refuses timm's resnet.py names it says are refused", async () => {
    const listed = /\*\*timm's `senet.py`\*\* ports them as (.*?): the same layers/.exec(text)?.[1] ?? '';
    const names = [...listed.matchAll(/`([\w|]+)`/g)].flatMap(([, name = '']) => {
      const [first = '', ...alternatives] = name.split('|');
      const stem = first.replace(/\d+$/, '');
      return [first, ...alternatives.map((n) => `${stem}${n}`)];
    });
    expect(names).toEqual([
      'legacy_seresnet50',
      'legacy_seresnet101',
      'legacy_seresnet152',
      'legacy_seresnext50_32x4d',
      'legacy_seresnext101_32x4d',
      'legacy_senet154',
    ]);
    for (const name of names) expect((await seprofInProcess(['--model', name, '--no-measure', '--json'])).code).toBe(0);
    for (const name of ['seresnet50', 'seresnext50_32x4d']) {
      expect(text).toContain(`\`${name}\``);
      expect((await seprofInProcess(['--model', name, '--no-measure'])).code).toBe(2);
    }
  });
});
