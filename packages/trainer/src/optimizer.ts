import { assertNumber, withDefaults } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link SgdMomentum}. */
export interface SgdOptions {
  /** Momentum μ. Default 0.9. */
  momentum: number;
  /** L2 weight decay added to the gradient (PyTorch `weight_decay`). Default 5e-4. */
  weightDecay: number;
  /** Nesterov momentum. Default false. */
  nesterov: boolean;
}

const DEFAULTS: SgdOptions = { momentum: 0.9, weightDecay: 5e-4, nesterov: false };

/**
 * SGD with momentum and weight decay, PyTorch semantics (the papers' peers are PyTorch):
 * `g ← ∇ + wd·w; v ← μ·v + g; w ← w − lr·(nesterov ? g + μ·v : v)`.
 * The learning rate is passed per step so any schedule can drive it.
 */
export class SgdMomentum {
  readonly options: SgdOptions;
  private velocity = new Map<string, tf.Variable>();

  constructor(options: Partial<SgdOptions> = {}) {
    this.options = withDefaults(options, DEFAULTS, 'SgdMomentum');
    assertNumber(
      this.options.momentum,
      { min: 0, max: 1, maxExclusive: true },
      'SgdMomentum',
      'momentum',
    );
    assertNumber(this.options.weightDecay, { min: 0 }, 'SgdMomentum', 'weightDecay');
  }

  /** Applies one update. `grads` maps variable names to gradients (as from `tf.variableGrads`). */
  apply(
    variables: readonly tf.Variable[],
    grads: Record<string, tf.Tensor>,
    learningRate: number,
  ): void {
    const { momentum, weightDecay, nesterov } = this.options;
    tf.tidy(() => {
      for (const w of variables) {
        const grad = grads[w.name];
        if (grad === undefined) continue;
        let g = weightDecay > 0 ? tf.add(grad, tf.mul(w, weightDecay)) : grad;
        if (momentum > 0) {
          let v = this.velocity.get(w.name);
          if (v === undefined) {
            v = tf.variable(tf.zerosLike(w), false, `${w.name}/velocity`);
            this.velocity.set(w.name, v);
          }
          const vNew = tf.add(tf.mul(v, momentum), g);
          v.assign(vNew);
          g = nesterov ? tf.add(g, tf.mul(vNew, momentum)) : vNew;
        }
        w.assign(tf.sub(w, tf.mul(g, learningRate)));
      }
    });
  }

  /**
   * The velocity of each variable, in the order of `variables` (`undefined` before its first
   * update), for checkpoints. The tensors are the optimizer's own: read them, do not dispose.
   */
  getSlots(variables: readonly tf.Variable[]): (tf.Tensor | undefined)[] {
    return variables.map((w) => this.velocity.get(w.name));
  }

  /**
   * Replaces the velocities from a checkpoint, matched to `variables` by position (variable
   * names differ between processes). The caller keeps ownership of `slots`.
   */
  setSlots(variables: readonly tf.Variable[], slots: readonly (tf.Tensor | undefined)[]): void {
    this.reset();
    variables.forEach((w, i) => {
      const s = slots[i];
      if (s !== undefined) this.velocity.set(w.name, tf.variable(s, false, `${w.name}/velocity`));
    });
  }

  /** Frees the velocity buffers (e.g. when the model is re-initialised). */
  reset(): void {
    for (const v of this.velocity.values()) v.dispose();
    this.velocity.clear();
  }

  dispose(): void {
    this.reset();
  }
}
