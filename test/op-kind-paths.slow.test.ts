// Every op kind through all four paths in one place: its example graph (test/fixtures/op-kinds)
// planned by the analytic side, run by the executor with its weights, its kernels read back,
// and the check agreeing forward and backward; the kernel count each kind declares (which the
// memory schedule reads) derived here from what tf.profile saw; and each kind documented.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { OP_KINDS, type OpKind } from '../src/analyzers/ops';
import { useBackend } from '../src/analyzers/measured/backend';
import { recordPass } from '../src/analyzers/measured/record';
import { profile } from '../src/index';
import { GraphIndex } from '../src/model/graph/graph-index';
import { inferShapes } from '../src/model/graph/infer';
import type { NodeGroup } from '../src/model/graph/node-groups';
import { readModelFile } from '../src/model/model-file';
import { KINDS } from '../src/model/kinds';
import { VIEW_KERNELS } from '../src/model/kinds/kernel-reading';
import { planModule } from '../src/model/kinds/plan';
import { GraphExecutor, randomInputs } from '../src/modules/graph-executor';
import { OP_KIND_EXAMPLES, OP_KIND_VARIANTS } from './fixtures/op-kinds/examples';
import { encodeModel } from './support/onnx';

const tmp = mkdtempSync(join(tmpdir(), 'seprof-op-kind-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Each kind's example, and the variants of some: [kind, what it shows, the graph]. */
const EXAMPLES = [...OP_KINDS.map((kind) => [kind, 'its example', OP_KIND_EXAMPLES[kind]] as const), ...OP_KIND_VARIANTS];

function exampleFile(index: number): string {
  const path = join(tmp, `example-${index}.onnx`);
  writeFileSync(path, encodeModel((EXAMPLES[index] as (typeof EXAMPLES)[number])[2]));
  return path;
}

const CASES = EXAMPLES.map(([kind, what], i) => [kind, what, i] as const);

describe('every op kind, through all four paths', () => {
  it.each(CASES)('%s (%s): planned, executed, read back and checked, forward and backward', async (kind, _, example) => {
    const result = await profile({ file: exampleFile(example), measure: true, training: true });
    expect(result.layers.map((l) => l.op.kind)).toContain(kind);
    expect(result.check.mismatches).toEqual([]);
    expect(result.check.status).toBe('match');
  });

  const onBackends = (['cpu', 'wasm'] as const).flatMap((backend) => CASES.map(([kind, what, example]) => [kind, what, backend, example] as const));
  it.each(onBackends)('%s (%s) on %s: the kernels its formula runs are the count it declares', async (kind, _, backend, example) => {
    await useBackend(backend);
    const path = exampleFile(example);
    const inferred = inferShapes(readModelFile(path), new Map());
    const index = GraphIndex.of(inferred);
    const executor = new GraphExecutor(inferred);
    const inputs = randomInputs(inferred);
    try {
      for (const m of executor.modules) executor.moduleWeights(m);
      const pass = await recordPass<NodeGroup>((around) => tf.dispose(executor.run(inputs, around)), { total: executor.modules.length });
      const ofKind = pass.spans.filter(({ unit }) => planModule(index, unit)?.kind === kind);
      expect(ofKind.length).toBeGreaterThan(0);
      for (const { unit, from, to } of ofKind) {
        const made = pass.kernels.slice(from, to).filter((k) => !VIEW_KERNELS.has(k.name) && !k.name.endsWith('__op'));
        // A grouped conv's per-group convs together make one output: one tensor's worth.
        const tensors = made.filter((k, i) => !(k.name === 'Conv2D' && made[i - 1]?.name === 'Conv2D'));
        expect(tensors.length, made.map((k) => k.name).join(' ')).toBe(KINDS[kind].kernelCount(index, unit));
      }
    } finally {
      tf.dispose([...inputs.values()]);
      executor.dispose();
    }
  });
});

describe('the registry', () => {
  const conventions = readFileSync(join(__dirname, '..', 'docs', 'conventions.md'), 'utf8');

  /** The kinds table's row of a kind: its ONNX spellings and its kernels, as written. */
  const row = (kind: OpKind): [string, string] | undefined => {
    const match = new RegExp(`^\\| \`${kind}\` \\| ([^|]*) \\| ([^|]*) \\|$`, 'm').exec(conventions);
    return match === null ? undefined : [match[1] as string, match[2] as string];
  };

  it.each(OP_KINDS)('%s: has ONNX spellings, a kernel reading, and its row in docs/conventions.md says what the module holds', (kind) => {
    const { onnx, kernels } = KINDS[kind];
    const spellings = [...(onnx.opTypes ?? []), ...(onnx.fusions ?? []).map((f) => `fusion ${f}`)];
    expect(spellings.length).toBeGreaterThan(0);
    expect(kernels.names !== undefined || kernels.composite !== undefined).toBe(true);
    const [documented, documentedKernels] = row(kind) ?? ['', ''];
    expect(documented).toBe(spellings.join(', '));
    for (const name of kernels.names ?? []) expect(documentedKernels).toContain(name);
  });

  it.each(OP_KINDS)('%s: has a chart colour', (kind) => {
    expect(KINDS[kind].colour).toMatch(/^#[0-9a-f]{6}$/);
  });
});

describe("docs/architecture.md's steps for adding an op kind", () => {
  const root = join(__dirname, '..');
  const architecture = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
  const steps = architecture.slice(architecture.indexOf('## How to add an op kind'), architecture.indexOf('## How to add a convention'));
  const named = [...steps.matchAll(/`((?:src|test|docs)\/[^`]+)`/g)].map((m) => m[1] as string);

  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? sources(join(dir, name)) : name.endsWith('.ts') ? [join(dir, name)] : []));

  it('names files and folders that exist', () => {
    expect(named.length).toBeGreaterThan(5);
    for (const path of named.filter((p) => !p.includes('KIND'))) expect(existsSync(join(root, path)), path).toBe(true);
  });

  it('names every table a new kind must join (each Record over OpKind in the sources, each rule table)', () => {
    const tables = [...sources(join(root, 'src')), join(root, 'test', 'fixtures', 'op-kinds', 'examples.ts')]
      .filter((file) => /Record<OpKind,|^\s+rules: |: RuleTable = /m.test(readFileSync(file, 'utf8')))
      .map((file) => file.slice(root.length + 1));
    expect(tables.length).toBeGreaterThan(3);
    for (const table of tables)
      expect(
        named.some((path) => table.startsWith(path.replace(/KIND\.ts$/, ''))),
        table,
      ).toBe(true);
  });
});
