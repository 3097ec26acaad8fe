import { describe, expect, it } from 'vitest';
import { clever, decimal, jsonCount, megabytes, withCommas } from '../src/report/format';

describe('number formats', () => {
  it("prints thop's clever_format", () => {
    expect(clever(91_136n)).toBe('91.136K');
    expect(clever(65_536n)).toBe('65.536K');
    expect(clever(3_868_000_000n)).toBe('3.868G');
    expect(clever(1_000n)).toBe('1000.000B'); // thop switches units strictly above 1e3
    expect(clever(25_557_032n)).toBe('25.557M');
  });

  it('rounds exactly, half up', () => {
    expect(decimal(1_234_5n, 10n, 0)).toBe('1235');
    expect(decimal(2n, 3n, 3)).toBe('0.667');
    expect(decimal(-5n, 2n, 0)).toBe('-3');
  });

  it('groups thousands', () => {
    expect(withCommas(91_136n)).toBe('91,136');
    expect(withCommas(12_345_678_901_234_567_890n)).toBe('12,345,678,901,234,567,890');
  });

  it('writes MB as torchsummary does (2^20 bytes)', () => {
    expect(megabytes(1_048_576n)).toBe('1.00');
    expect(megabytes(100_352n)).toBe('0.10');
  });

  it('keeps JSON counts exact beyond 2^53', () => {
    expect(jsonCount(9_007_199_254_740_991n)).toBe(9_007_199_254_740_991);
    expect(jsonCount(9_007_199_254_740_993n)).toBe('9007199254740993');
  });
});
