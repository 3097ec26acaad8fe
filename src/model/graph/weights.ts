// The weights of an initializer as float32, for the measured run only (counting never
// reads them): from the model file's bytes, an external data file, or inline values.
import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../../errors';
import { count } from './tensor-info';
import { DTYPE, type Initializer } from './types';

export function floatWeights(init: Initializer): Float32Array {
  const n = Number(count(init.dims));
  if (init.values !== undefined) return Float32Array.from(init.values.data, Number);
  if (init.dtype !== DTYPE.float) throw new UsageError(`initializer '${init.name}' is not float32: the measured run reads float32 weights only`);
  if (init.data === undefined) throw new UsageError(`initializer '${init.name}' has no weights in the file: the measured run needs them`);
  // Weights only a what-if has: small deterministic values (counts do not depend on them).
  if (init.data.kind === 'synthetic') return Float32Array.from({ length: n }, (_, i) => Math.sin(i + 1) * 0.1);
  let bytes: Uint8Array;
  if (init.data.kind === 'inline') {
    bytes = init.data.bytes;
  } else {
    bytes = new Uint8Array(init.data.length);
    const fd = openSync(init.data.path, 'r');
    try {
      readSync(fd, bytes, 0, init.data.length, init.data.offset);
    } finally {
      closeSync(fd);
    }
  }
  if (bytes.byteLength !== n * 4) throw new UsageError(`initializer '${init.name}' holds ${bytes.byteLength} bytes for ${n} float32 values`);
  // A copy: the file's bytes need not be 4-byte aligned.
  return new Float32Array(new Uint8Array(bytes).buffer);
}
