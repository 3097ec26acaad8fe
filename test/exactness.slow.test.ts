// Counts beyond 2^53 stay exact in every output format.
import { describe, expect, it } from 'vitest';
import { seprof, seprofInProcess } from './support/cli';

const SAFE = 2n ** 53n;
const withCommas = (n: bigint): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

describe('SE with 65,536 channels on 8192x8192, batch 4096', () => {
  const args = ['--channels', '65536', '--reduction', '16', '--height', '8192', '--width', '8192', '--batch', '4096', '--no-measure'];
  const B = 4096n;
  const C = 65_536n;
  const S = 8192n * 8192n;
  const m = C / 16n;
  const thop = B * C * (S + 1n) + 2n * B * C * m;
  const flops = 2n * B * C * S + 4n * B * C * m + B * m + 4n * B * C;

  it('has counts beyond 2^53', () => {
    expect(thop > SAFE).toBe(true);
    expect(flops > SAFE).toBe(true);
  });

  it('writes them as exact decimal strings in JSON, and safe counts as numbers', async () => {
    const doc = JSON.parse((await seprofInProcess([...args, '--json'])).stdout) as { totals: { params: unknown; counts: Record<string, unknown> } };
    expect(doc.totals.counts['thop']).toBe(thop.toString());
    expect(doc.totals.counts['flops']).toBe(flops.toString());
    expect(doc.totals.params).toBe(Number(2n * C * m));
  });

  it('writes them exactly in CSV, the table and markdown', async () => {
    const csv = (await seprofInProcess([...args, '--format', 'csv', '--total-row'])).stdout.trim().split('\n').at(-1)?.split(',');
    expect(csv?.[5]).toBe(thop.toString());
    expect((await seprofInProcess(args)).stdout).toContain(`MACs (thop):          ${withCommas(thop)}`);
    expect((await seprofInProcess([...args, '--format', 'markdown'])).stdout).toContain(`**${withCommas(thop)}**`);
  });
});

describe('ResNet-152 at 1024x1024, batch 65,536', () => {
  const run = (batch: string) =>
    JSON.parse(seprof(['--model', 'resnet152', '--height', '1024', '--width', '1024', '--batch', batch, '--no-measure', '--json']).stdout) as {
      totals: { counts: Record<string, number | string> };
    };
  const one = run('1').totals.counts;
  const many = run('65536').totals.counts;

  it('scales every whole-batch convention exactly by the batch, beyond 2^53', () => {
    for (const key of ['thop', 'fvcore', 'ptflops-aten', 'macs', 'flops', 'senet']) {
      const big = BigInt(many[key] ?? 0);
      expect(big).toBe(65_536n * BigInt(one[key] ?? 0));
      expect(big > SAFE).toBe(true);
      expect(typeof many[key]).toBe('string');
    }
  });
});
