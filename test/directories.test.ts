// mkdir -p without Node 20's endless loop where mkdir answers ENOENT under an existing parent.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectories } from '../src/fs/directories';

describe('makeDirectories', () => {
  const root = mkdtempSync(join(tmpdir(), 'seprof-dirs-'));

  it('makes every missing parent, and accepts a directory that is there', () => {
    const deep = join(root, 'a', 'b', 'c');
    makeDirectories(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(() => makeDirectories(deep)).not.toThrow();
  });

  it('fails with the reason when a part of the path is a file', () => {
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeDirectories(join(root, 'file', 'sub'))).toThrow(/ENOTDIR|EEXIST/);
  });

  it.runIf(existsSync('/proc/self'))('fails at once under /proc, where Node 20 recursive mkdir loops forever', () => {
    expect(() => makeDirectories('/proc/seprof-no-such/dir')).toThrow(/ENOENT/);
  });
});
