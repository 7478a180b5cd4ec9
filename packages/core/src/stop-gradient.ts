import * as tf from '@tensorflow/tfjs-core';

/**
 * `x` with its gradient cut (tfjs-core has no `stopGradient`). Priors and adjustments are
 * targets, computed without gradient (docs/methods/README.md, notation). The custom gradient is built
 * per call so the module holds no engine state (CONTRIBUTING.md pitfall 1).
 */
/**
 * @example
 * ```ts
 * const target = stopGradient(tf.softmax(logits)); // a target: no gradient flows into logits
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const cut = tf.customGrad((...inputs) => ({
    value: tf.clone(inputs[0] as tf.Tensor),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return cut(x) as T;
}

/**
 * Runs `compute(...inputs)` as one opaque step with a zero gradient for every input.
 *
 * tfjs has no `stopGradient`. A `tf.customGrad` whose gradient is zero does the same job and
 * more: its forward function runs with tape recording off, so a 50-iteration Sinkhorn inside a
 * `tf.grad` scope does not keep every intermediate alive for a backward pass that would never
 * use them (docs/methods/README.md: every target is computed without gradient).
 */
export function withoutGradient<T extends tf.Tensor>(
  compute: (...inputs: tf.Tensor[]) => T,
  inputs: tf.Tensor[],
): T {
  const run = tf.customGrad((...args: unknown[]) => {
    const tensors = args.slice(0, inputs.length) as tf.Tensor[];
    return {
      value: compute(...tensors),
      gradFunc: () => tensors.map((x) => tf.zerosLike(x)),
    };
  });
  return run(...inputs) as T;
}

/**
 * Runs `compute(x)` with the gradient tape off and returns its tensors **detached**: kept,
 * owned by the caller, connected to nothing on the tape. Use it for targets, masks and
 * permutations that later ops must not differentiate: {@link withoutGradient} zeroes the
 * gradient but leaves its output on the tape, so an op applied to it afterwards (a `gather`,
 * whose gradient wasm lacks) would still be differentiated.
 *
 * A custom-gradient op's forward function runs with the tape off; the tensors it makes are
 * captured here instead of being returned through it.
 *
 * @example
 * ```ts
 * const { targets, mask } = offTape(logits, (l) => ({ targets: tf.softmax(l), mask: tf.greater(l, 0) }));
 * // …use them in the loss; dispose them after the step
 * ```
 */
export function offTape<R extends Record<string, tf.Tensor>>(
  x: tf.Tensor,
  compute: (x: tf.Tensor) => R,
): R {
  let result: R | undefined;
  const run = tf.customGrad((...args: unknown[]) => {
    const input = args[0] as tf.Tensor;
    const out = compute(input);
    for (const t of Object.values(out)) tf.keep(t);
    result = out;
    return { value: tf.zeros([]), gradFunc: () => tf.zerosLike(input) };
  });
  tf.dispose(run(x));
  return result!;
}
