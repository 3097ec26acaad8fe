// nn.Upsample / F.interpolate, nearest and bilinear: ONNX Resize of H and W only, mode nearest or
// linear. tfjs resizes with two switches (alignCorners, halfPixelCenters); ONNX with a coordinate
// transformation and, for nearest, a rounding. Nearest runs when one setting of the switches
// picks the same source pixel as the file's mode for every output row and column (PyTorch's
// 'nearest' is ONNX asymmetric + floor, tfjs' default; 'nearest-exact' is half-pixel); linear
// runs for align_corners (tfjs alignCorners), asymmetric (neither) and half_pixel /
// pytorch_half_pixel (halfPixelCenters, which clamps a negative source to 0 as PyTorch does).
// Cubic, antialiased and crop-and-resize have no tfjs kernel: counted, not measured.
import type { GraphIndex } from '../graph/graph-index';
import type { NodeGroup } from '../graph/node-groups';
import { attrInt, attrInts, attrString, type GraphNode } from '../graph/types';
import { draft, shapeAt } from './kernel-reading';
import type { OpKindDefinition } from './kind';

interface Switches {
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

const SETTINGS: readonly Switches[] = [
  { alignCorners: false, halfPixelCenters: false },
  { alignCorners: false, halfPixelCenters: true },
  { alignCorners: true, halfPixelCenters: false },
];

/** The source row tfjs' ResizeNearestNeighbor reads for output row `x` (its cpu kernel's formula). */
function tfjsNearest({ alignCorners, halfPixelCenters }: Switches, x: number, inSize: number, outSize: number): number {
  const aligned = alignCorners && outSize > 1;
  const ratio = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  const frac = halfPixelCenters ? ratio * (x + 0.5) : ratio * x;
  const row = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, row) : row;
}

/** The source row ONNX Resize (nearest) reads for output row `x`, by its coordinate transformation and rounding; undefined for a mode seprof does not run. */
function onnxNearest(node: GraphNode, x: number, inSize: number, outSize: number, scale: number): number | undefined {
  const mode = attrString(node, 'coordinate_transformation_mode', 'half_pixel');
  const coordinate: Readonly<Record<string, () => number>> = {
    half_pixel: () => (x + 0.5) / scale - 0.5,
    pytorch_half_pixel: () => (outSize > 1 ? (x + 0.5) / scale - 0.5 : 0),
    align_corners: () => (outSize === 1 ? 0 : (x * (inSize - 1)) / (outSize - 1)),
    asymmetric: () => x / scale,
    tf_half_pixel_for_nn: () => (x + 0.5) / scale,
  };
  const c = coordinate[mode]?.();
  if (c === undefined) return undefined;
  const rounding: Readonly<Record<string, (v: number) => number>> = {
    round_prefer_floor: (v) => (Number.isInteger(v - 0.5) ? Math.floor(v) : Math.round(v)),
    round_prefer_ceil: (v) => Math.round(v),
    floor: Math.floor,
    ceil: Math.ceil,
  };
  const round = rounding[attrString(node, 'nearest_mode', 'round_prefer_floor')];
  return round === undefined ? undefined : Math.min(inSize - 1, Math.max(0, round(c)));
}

/** H and W in and out, and the scales the file gives (else out / in). */
function axesOf(index: GraphIndex, node: GraphNode): { inSize: number; outSize: number; scale: number }[] {
  const [x, y] = [index.shape(node.inputs[0] ?? ''), index.shape(node.outputs[0] ?? '')];
  const scales = index.g.tensors.get(node.inputs[2] ?? '')?.values?.data;
  // Scales per axis, or per axis of the `axes` attribute (opset 18).
  const axes = attrInts(node, 'axes')?.map((a) => Number(a < 0n ? a + 4n : a)) ?? [0, 1, 2, 3];
  return [2, 3].map((a) => {
    const [inSize, outSize] = [x[a] ?? 1, y[a] ?? 1];
    const at = axes.indexOf(a);
    const given = scales?.length === axes.length && at >= 0 ? Number(scales[at]) : undefined;
    return { inSize, outSize, scale: given !== undefined && given > 0 ? given : outSize / inSize };
  });
}

const linear = (node: GraphNode): boolean => attrString(node, 'mode', 'nearest') === 'linear';

/** The tfjs switches that compute the node as the file says, or undefined when none does. */
function switchesFor(index: GraphIndex, { main }: NodeGroup): Switches | undefined {
  if (attrInt(main, 'antialias', 0n) !== 0n) return undefined;
  const axes = axesOf(index, main);
  if (linear(main)) {
    const mode = attrString(main, 'coordinate_transformation_mode', 'half_pixel');
    // pytorch_half_pixel reads row 0 for an output of one row, half_pixel the middle, as tfjs does.
    const halfPixel = mode === 'half_pixel' || (mode === 'pytorch_half_pixel' && axes.every((a) => a.outSize > 1));
    if (halfPixel) return { alignCorners: false, halfPixelCenters: true };
    if (mode === 'align_corners') return { alignCorners: true, halfPixelCenters: false };
    return mode === 'asymmetric' ? { alignCorners: false, halfPixelCenters: false } : undefined;
  }
  const picks = (s: Switches): boolean =>
    axes.every(({ inSize, outSize, scale }) =>
      Array.from({ length: outSize }, (_, x) => x).every((x) => tfjsNearest(s, x, inSize, outSize) === onnxNearest(main, x, inSize, outSize, scale)),
    );
  return SETTINGS.find(picks);
}

export const resize: OpKindDefinition<'resize'> = {
  onnx: { opTypes: ['Resize'] },
  plan: (index, m) => {
    const [x, y] = [index.shape(m.main.inputs[0] ?? ''), index.shape(m.main.outputs[0] ?? '')];
    const mode = attrString(m.main, 'mode', 'nearest');
    const spatial = x.length === 4 && x[0] === y[0] && x[1] === y[1];
    if (!spatial || (mode !== 'nearest' && mode !== 'linear')) return undefined;
    return { inputs: [m.main.inputs[0] ?? ''], ...(mode === 'linear' && { attrs: { bilinear: true } }) };
  },
  runnable: (index, m) => switchesFor(index, m) !== undefined,
  run: ({ tf, index, input }, m) => {
    const [, , h = 1, w = 1] = index.shape(m.main.outputs[0] ?? '');
    const { alignCorners, halfPixelCenters } = switchesFor(index, m) ?? (SETTINGS[0] as Switches);
    const x = input(m.main, 0) as Parameters<typeof tf.image.resizeBilinear>[0];
    return linear(m.main)
      ? tf.image.resizeBilinear(x, [h, w], alignCorners, halfPixelCenters)
      : tf.image.resizeNearestNeighbor(x, [h, w], alignCorners, halfPixelCenters);
  },
  kernels: {
    names: ['ResizeNearestNeighbor', 'ResizeBilinear'],
    read: (kernel) =>
      draft(
        'resize',
        [shapeAt(kernel.inputShapes, 0, kernel.name)],
        shapeAt(kernel.outputShapes, 0, kernel.name),
        kernel.name === 'ResizeBilinear' ? { bilinear: true } : {},
      ),
  },
  kernelCount: () => 1,
  colour: '#d4a6c8',
};
