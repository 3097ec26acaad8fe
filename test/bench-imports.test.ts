// npm run bench reaches into the build (its profiled-pass entry, the ONNX schema); nothing else runs the
// bench, so a renamed or unexported function would only show when someone benches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe("the bench's imports from the build", () => {
  const source = ['run.mjs', 'yolo.mjs'].map((file) => readFileSync(join(__dirname, '..', 'bench', file), 'utf8')).join('\n');
  const imports = [...source.matchAll(/const \{ ([\w, ]+) \} = require\('\.\.\/dist\/(.+?)\.js'\);/g)].map(([, names, path]) => ({
    names: (names ?? '').split(',').map((n) => n.trim()),
    path: path ?? '',
  }));

  it('finds them', () => {
    expect(imports.map((i) => i.path)).toContain('analyzers/measured/index');
  });

  it.each(imports.map((i) => [i.path, i.names] as const))('src/%s exports %s', async (path, names) => {
    const module = (await import(/* @vite-ignore */ `../src/${path}.ts`)) as Record<string, unknown>;
    for (const name of names) expect(typeof module[name], name).toBe('function');
  });
});
