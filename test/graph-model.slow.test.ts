// TensorFlow.js GraphModels (what tensorflowjs_converter writes for SavedModels and TF Hub
// models): read as NCHW graphs, counted, their SE found, executed and checked per layer; the
// translation is checked against @tensorflow/tfjs-converter running the same file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferShapes } from '../src/model/graph/infer';
import { readModelFile } from '../src/model/model-file';
import { seprof } from './support/cli';
import { seMobileNetBlock } from './support/graph-model';

describe('scratch', () => {
  it('reads', () => {
    const path = seMobileNetBlock().write(mkdtempSync(join(tmpdir(), 'seprof-gm-')));
    const g = inferShapes(readModelFile(path), new Map());
    for (const n of g.order) console.log(n.opType, n.name, n.inputs.join(','), '->', g.tensors.get(n.outputs[0] ?? '')?.shape.join('x'));
    const run = seprof(['--file', path]);
    console.log(run.stdout, run.stderr, run.code);
  });
});
