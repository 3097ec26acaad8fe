// The executor's layout: the graph is NCHW, tfjs convolves NHWC, so rank-4 tensors are stored
// NHWC and go through NCHW where an op works on the graph's own axes.
import type { Tensor, Tf } from './kind';

/** A tensor in the graph's (NCHW) order stored as tfjs computes on it (NHWC); other ranks as they are. */
export const toStored = (tf: Tf, t: Tensor): Tensor => (t.rank === 4 ? tf.transpose(t, [0, 2, 3, 1]) : t);

/** A stored tensor back in the graph's (NCHW) order. */
export const toGraphOrder = (tf: Tf, t: Tensor): Tensor => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);
