// nn.ReLU6: ONNX Clip to [0, 6], its bounds inputs (opset 11 on) or attributes (before it, and
// Keras' relu6 as the LayersModel reader writes it); the tfjs kernel Relu6.
import type { GraphIndex } from '../graph/graph-index';
import { attrFloat, type GraphNode } from '../graph/types';
import { unaryKind } from './unary';

export function isRelu6(index: GraphIndex, node: GraphNode): boolean {
  const bound = (i: number): number | undefined => {
    const values = index.g.tensors.get(node.inputs[i] ?? '')?.values;
    return values === undefined ? undefined : Number(values.data[0]);
  };
  const min = (node.inputs[1] ?? '') !== '' ? bound(1) : attrFloat(node, 'min', -Infinity);
  const max = (node.inputs[2] ?? '') !== '' ? bound(2) : attrFloat(node, 'max', Infinity);
  return min === 0 && max === 6;
}

export const relu6 = unaryKind({ kind: 'relu6', opType: 'Clip', kernel: 'Relu6', run: (tf, x) => tf.relu6(x), colour: '#d37295', is: isRelu6 });
