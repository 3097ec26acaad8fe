// The activations of a graph pass by tensor name, each disposed once its last name is freed.
// A view that hands its input on gives one tensor two names; the caller's inputs and the
// tensors the executor keeps (weights, constants) are never the pass's to dispose.
import type * as tf from '@tensorflow/tfjs-core';

export class LiveValues {
  private readonly values = new Map<string, tf.Tensor>();
  private readonly names = new Map<tf.Tensor, number>();
  private readonly callers: ReadonlySet<tf.Tensor>;

  constructor(inputs: ReadonlyMap<string, tf.Tensor>) {
    this.callers = new Set(inputs.values());
    for (const [name, t] of inputs) this.set(name, t);
  }

  get(name: string): tf.Tensor | undefined {
    return this.values.get(name);
  }

  set(name: string, t: tf.Tensor): void {
    this.values.set(name, t);
    this.names.set(t, (this.names.get(t) ?? 0) + 1);
  }

  free(name: string): void {
    const t = this.values.get(name);
    if (t === undefined) return;
    this.values.delete(name);
    const left = (this.names.get(t) ?? 1) - 1;
    if (left > 0) {
      this.names.set(t, left);
      return;
    }
    this.names.delete(t);
    if (!this.callers.has(t) && !t.kept) t.dispose();
  }

  /** After a failed pass: every tensor it made. */
  disposeAll(): void {
    for (const t of this.names.keys()) if (!this.callers.has(t) && !t.kept) t.dispose();
    this.values.clear();
    this.names.clear();
  }
}
