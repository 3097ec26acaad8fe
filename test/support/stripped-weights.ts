// The real exports in test/fixtures/onnx-real are weight-stripped (their initializers point at a
// STEM.data that is not committed): a copy beside a data file of zeros, sized to every
// external entry, measures them. The file is sparse: no bytes written, whatever the model.
import { closeSync, copyFileSync, ftruncateSync, openSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { modelProtoType } from '../../src/model/onnx/schema';
import type { ModelProto } from '../../src/model/onnx/schema';

/** Each external data file `model` names and the bytes its initializers reach into it. */
function externalExtents(model: string): Map<string, number> {
  const proto = modelProtoType().decode(readFileSync(model)) as unknown as ModelProto;
  const extents = new Map<string, number>();
  for (const t of proto.graph?.initializer ?? []) {
    const entry = (key: string): string | undefined => t.externalData.find((e) => e.key === key)?.value;
    const location = entry('location');
    if (t.dataLocation !== 1 || location === undefined) continue;
    // float32 weights: without a length, the tensor's own size.
    const length = entry('length') ?? String(t.dims.reduce((n: number, d) => n * Number(d), 4));
    const end = Number(entry('offset') ?? '0') + Number(length);
    extents.set(location, Math.max(extents.get(location) ?? 0, end));
  }
  return extents;
}

/** Copies `model` into `dir` with zero weights for its missing external data; returns the copy's path. */
export function withZeroWeights(model: string, dir: string): string {
  const extents = externalExtents(model);
  const copy = join(dir, basename(model));
  copyFileSync(model, copy);
  for (const [location, size] of extents) {
    const fd = openSync(join(dir, location), 'w');
    ftruncateSync(fd, size);
    closeSync(fd);
  }
  return copy;
}
