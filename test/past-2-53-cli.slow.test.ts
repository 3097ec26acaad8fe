// The examples of issue 10 that went wrong past 2^53, through the CLI, with figures derived here.
import { describe, expect, it } from 'vitest';
import { expectUsageError, seprof } from './support/cli';

interface Doc {
  layers: { name: string; outputShape: number[]; counts: Record<string, number | string> }[];
  totals: { params: number | string; counts: Record<string, number | string> };
}
const json = (args: string[]): Doc => JSON.parse(seprof([...args, '--no-measure', '--json']).stdout) as Doc;

describe('issue 10 examples', () => {
  it('SE(1, r=1) on 100000001 x 100000001: thop = C*(S + 1) + 2*C*m', () => {
    const S = 100_000_001n * 100_000_001n;
    const thop = S + 1n + 2n; // C = m = B = 1
    expect(thop.toString()).toBe('10000000200000004');
    const doc = json(['--channels', '1', '--reduction', '1', '--height', '100000001', '--width', '100000001']);
    expect(doc.totals.counts['thop']).toBe(thop.toString());
  });

  it('SE-ResNet bottleneck with planes 100000001: params by hand', () => {
    const [Cin, P] = [256n, 100_000_001n];
    const out = 4n * P;
    const m = out / 16n;
    const convs = Cin * P + 9n * P * P + P * out + Cin * out; // conv1, conv2, conv3, projection shortcut
    const bns = 2n * (P + P + out + out);
    const se = 2n * out * m;
    const params = convs + bns + se;
    expect(params.toString()).toBe('150000132800001313');
    expect(json(['--block', 'se-resnet', '--channels', '256', '--planes', '100000001']).totals.params).toBe(params.toString());
  });

  it('SE-ResNet-50 on 9007199254740991 x 1: the stem halves the height exactly', () => {
    const H = 2n ** 53n - 1n;
    const conv1 = (H + 2n * 3n - 7n) / 2n + 1n; // k 7, pad 3, stride 2
    const pool = (conv1 + 2n * 1n - 3n) / 2n + 1n; // k 3, pad 1, stride 2
    expect([conv1, pool]).toEqual([2n ** 52n, 2n ** 51n]);
    const layers = new Map(json(['--model', 'se-resnet50', '--height', String(H), '--width', '1']).layers.map((l) => [l.name, l]));
    expect(layers.get('stem.conv1')?.outputShape).toEqual([1, 64, Number(conv1), 1]);
    expect(layers.get('stem.maxpool')?.outputShape).toEqual([1, 64, Number(pool), 1]);
    // thop of the stem conv: numel(out) * Cin * 7 * 7, past 2^53.
    expect(layers.get('stem.conv1')?.counts['thop']).toBe((64n * conv1 * 3n * 49n).toString());
  });
});

describe('refused in one line', () => {
  it('a sweep range past 2^53 - 1', () => {
    expectUsageError(
      seprof(['sweep', '--channels', '9007199254740992..9007199254740992', '--reduction', '1', '--no-measure']),
      /--channels: bad range '9007199254740992\.\.9007199254740992': 9007199254740992 is too large; at most 9007199254740991/,
    );
  });

  it('a 400-digit number, as too large with the limit', () => {
    expectUsageError(seprof(['--channels', '9'.repeat(400), '--no-measure']), /--channels is too large: a 400-character value; at most 9007199254740991/);
  });

  it('planes whose bottleneck output passes 2^53 - 1', () => {
    expectUsageError(seprof(['--block', 'resnet', '--channels', '8', '--planes', '2251799813685248', '--no-measure']), /--planes 2251799813685248 .*too many/);
  });
});

describe('--max-memory 1', () => {
  it('names the budget in bytes, never "0 MB"', () => {
    const run = seprof(['--channels', '64', '--max-memory', '1', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^seprof: measured run skipped: it needs about \d+(\.\d)? KB, above the memory budget of 1 B \(--max-memory\)\n$/);
  });
});
