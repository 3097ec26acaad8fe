// Turns the kernels tf.profile saw while one layer ran into the ops they executed, by asking
// each op kind's reading (model/kinds): a formula of several kernels first, then kernel by kernel.
import { KIND_ENTRIES } from '../../model/kinds';
import { VIEW_KERNELS, oneInput, type Draft, type KernelRecord, type LayerFacts } from '../../model/kinds/kernel-reading';
import type { Op, OpKind } from '../ops';

const isView = (kernel: KernelRecord): boolean => kernel.name.endsWith('__op') || VIEW_KERNELS.has(kernel.name);

/** The one kind a kernel is, given what the layer says; the kinds' readings exclude each other. */
function readKernel(kernel: KernelRecord, layer: LayerFacts): Draft<OpKind> | undefined {
  for (const [kind, { kernels }] of KIND_ENTRIES) {
    if (kernels.names?.includes(kernel.name) !== true) continue;
    const read = kernels.read === undefined ? oneInput(kind, kernel) : kernels.read(kernel, layer);
    if (read !== undefined) return read;
  }
  return undefined;
}

/** All of a layer's kernels as one op, when together they are one PyTorch op (a formula, a grouped conv). */
function readComposite(kernels: readonly KernelRecord[], layer: LayerFacts): Draft<OpKind> | undefined {
  if (kernels.length === 0) return undefined;
  const names = kernels.map((k) => k.name).join(' ');
  for (const [, definition] of KIND_ENTRIES) {
    const read = definition.kernels.composite?.(kernels, names, layer);
    if (read !== undefined) return read;
  }
  return undefined;
}

export interface LayerOps {
  ops: Op[];
  /** Kernels that ran but that seprof cannot map to an op kind. */
  unrecognised: string[];
}

/** The ops one layer executed, carrying the weights the layer actually allocated. */
export function opsFromKernels(kernels: readonly KernelRecord[], layer: LayerFacts): LayerOps {
  const drafts: Draft<OpKind>[] = [];
  const unrecognised: string[] = [];
  const counted = kernels.filter((kernel) => !isView(kernel));
  const composite = readComposite(counted, layer);
  if (composite !== undefined) drafts.push(composite);
  for (const kernel of composite === undefined ? counted : []) {
    const read = readKernel(kernel, layer);
    if (read === undefined) unrecognised.push(kernel.name);
    else drafts.push(read);
  }
  // A layer is one PyTorch module: normally one op. Several get numbered names so the
  // cross-check reports them instead of merging them silently.
  const ops = drafts.map(
    (d, i): Op => ({
      ...d,
      name: drafts.length === 1 ? layer.name : `${layer.name}#${i}`,
      params: i === 0 ? layer.params : 0n,
      buffers: i === 0 ? layer.buffers : 0n,
      ...(layer.reads !== undefined && { reads: layer.reads }),
    }),
  );
  if (ops.length === 0 && (layer.params > 0n || layer.buffers > 0n)) {
    unrecognised.push(`${layer.name}: weights but no counted kernel`);
  }
  return { ops, unrecognised };
}
