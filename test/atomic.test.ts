// Atomic writes: the target holds the old file or the whole new one, even when the writer is killed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/fs/atomic';
import { ROOT } from './support/cli';

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seprof-atomic-'));

  it('writes the whole text and leaves no temporary file', () => {
    const path = join(dir, 'report.json');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, 'second, longer');
    expect(readFileSync(path, 'utf8')).toBe('second, longer');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('leaves the previous file whole when the process is killed before the rename', () => {
    const path = join(dir, 'killed.json');
    writeFileSync(path, '{"old": true}');
    // The built module, with rename made to kill the process: the moment of the worst crash.
    const script = `
      const fs = require('node:fs');
      fs.renameSync = () => process.kill(process.pid, 'SIGKILL');
      require(${JSON.stringify(join(ROOT, 'dist/fs/atomic.js'))}).writeFileAtomic(${JSON.stringify(path)}, '{"new": ' + 'x'.repeat(1e6));
    `;
    const child = spawnSync(process.execPath, ['-e', script]);
    expect(child.signal).toBe('SIGKILL');
    expect(readFileSync(path, 'utf8')).toBe('{"old": true}');
    // What a kill can leave is a hidden temporary, never the target half-written.
    expect(readdirSync(dir).filter((f) => f !== 'report.json' && f !== 'killed.json').every((f) => /^\.killed\.json\.\d+\.[0-9a-f]+\.tmp$/.test(f))).toBe(true);
  });

  it('cleans up and throws when it cannot write', () => {
    expect(() => writeFileAtomic(join(dir, 'missing-dir', 'x.json'), 'x')).toThrow(/ENOENT/);
  });
});
