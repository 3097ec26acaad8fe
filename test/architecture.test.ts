// The house's layer order and the absence of import circles, read from the sources.
// Written here rather than with madge or dependency-cruiser: both need TypeScript's JS
// compiler API to read .ts files, which TypeScript 7 (the native compiler) no longer ships.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..', 'src');

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourcesUnder(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The files a source imports, static or dynamic, type-only included: a circle of types is still a circle. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)'(\.[^']*)'/gm)].map((m) => m[1] as string);
  return specifiers.map((spec) => {
    const base = resolve(dirname(file), spec.replace(/\.js$/, ''));
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // try the next candidate
      }
    }
    throw new Error(`${relative(SRC, file)} imports '${spec}', which resolves to no source`);
  });
}

const files = sourcesUnder(SRC);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const rel = (file: string): string => relative(SRC, file);

/** Strongly connected components of more than one file (or a file importing itself): Tarjan's algorithm. */
function circles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(rel(w));
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return found;
}

/**
 * Layers, lowest first: a file may import its own layer or a lower one. Within the
 * derivations, the analytic path and the tfjs side (modules, measured) never meet.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'parse.ts', 'version.ts', 'fs/', 'sweep/'],
  ['model/', 'analyzers/ops.ts', 'analyzers/op-fields.ts'],
  ['analyzers/analytic/', 'modules/', 'analyzers/measured/'],
  [
    'analyzers/conventions/',
    'analyzers/backward/',
    'analyzers/count.ts',
    'analyzers/check.ts',
    'analyzers/explain.ts',
    'analyzers/profile.ts',
    'analyzers/se-time.ts',
    'analyzers/yolo-summary.ts',
    'paper.ts',
  ],
  ['report/'],
  ['cli/', 'api/', 'index.ts'],
];

function layerOf(file: string): number {
  const path = rel(file);
  const layer = LAYERS.findIndex((prefixes) => prefixes.some((prefix) => path.startsWith(prefix)));
  if (layer < 0) throw new Error(`${path} is in no layer: add its folder to LAYERS`);
  return layer;
}

const TFJS_SIDE = ['modules/', 'analyzers/measured/'];
const side = (file: string): 'analytic' | 'tfjs' | undefined =>
  rel(file).startsWith('analyzers/analytic/') ? 'analytic' : TFJS_SIDE.some((p) => rel(file).startsWith(p)) ? 'tfjs' : undefined;

describe('architecture', () => {
  it('has no import circles', () => {
    expect(circles()).toEqual([]);
  });

  it('imports only downward: model, then analytic or tfjs, then counting, report, cli', () => {
    const upward = [...graph].flatMap(([from, tos]) => tos.filter((to) => layerOf(to) > layerOf(from)).map((to) => `${rel(from)} -> ${rel(to)}`));
    expect(upward).toEqual([]);
  });

  it('keeps the analytic path and the tfjs side apart', () => {
    const crossing = [...graph].flatMap(([from, tos]) =>
      tos.filter((to) => side(from) !== undefined && side(to) !== undefined && side(from) !== side(to)).map((to) => `${rel(from)} -> ${rel(to)}`),
    );
    expect(crossing).toEqual([]);
  });

  it('finds the imports it checks (the reader is not blind)', () => {
    const spec = files.find((file) => rel(file) === 'model/spec.ts');
    expect(spec && (graph.get(spec) ?? []).map(rel)).toContain('model/blocks.ts');
  });
});
