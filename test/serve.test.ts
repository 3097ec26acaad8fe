// `seprof serve`'s choice of file: the page's folder and nothing beyond it, whatever the URL says.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileFor } from '../src/cli/serve';

const outside = realpathSync(mkdtempSync(join(tmpdir(), 'serve-')));
const root = join(outside, 'web');
mkdirSync(join(root, 'sub'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<p>page');
writeFileSync(join(root, 'worker.js'), '');
writeFileSync(join(outside, 'secret.txt'), 'secret');
symlinkSync(join(outside, 'secret.txt'), join(root, 'link.txt'));

describe('seprof serve', () => {
  it('serves the folder: / is index.html', () => {
    expect(fileFor(root, '/')).toBe(join(root, 'index.html'));
    expect(fileFor(root, '/worker.js?v=1')).toBe(join(root, 'worker.js'));
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/sub/../../secret.txt', '/link.txt', '/sub', '/missing.js', '/%00', '/%E0%A4%A'])(
    'refuses %s (outside, a link out, a folder, missing, or malformed)',
    (url) => {
      expect(fileFor(root, url)).toBeUndefined();
    },
  );
});
