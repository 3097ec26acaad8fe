// a + b (a residual's sum, a bias): ONNX Add; the tfjs kernels Add, and AddN for a sum of several.
import { allInputs, draft, readElementwise, shapeAt } from './kernel-reading';
import { elementwiseKind } from './elementwise';

export const add = elementwiseKind('add', 'Add', ['Add', 'AddN'], '#bab0ac', (kernel, layer) =>
  kernel.name === 'AddN' ? draft('add', allInputs(kernel), shapeAt(kernel.outputShapes, 0, kernel.name)) : readElementwise('add', kernel, layer),
);
