import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseErrorAsync } from '../../../test/helpers';
import { recipes, Trainer } from '../src/index';

/** Two well-separated Gaussian blobs in 2-D: class = sign of the first coordinate. */
function blobs(n: number, seed: number) {
  return tf.tidy(() => {
    const labels = tf.cast(tf.greater(tf.randomUniform([n], 0, 1, 'float32', seed), 0.5), 'int32');
    const centre = tf.sub(tf.mul(tf.cast(labels, 'float32'), 4), 2); // −2 or +2
    const x = tf.add(
      tf.stack([centre, tf.zerosLike(centre)], 1),
      tf.randomNormal([n, 2], 0, 0.5, 'float32', seed + 1),
    );
    return { x, y: labels };
  });
}

describe('Trainer.create: plain tensors and tf.data inputs', () => {
  it('trains on { x, y } tensors and evaluates on a tf.data-style test set', async () => {
    const train = blobs(256, 1);
    const test = blobs(64, 7);
    const xs = (await test.x.array()) as number[][];
    const ys = (await test.y.array()) as number[];
    const testData = {
      async iterator() {
        let i = 0;
        return {
          async next() {
            if (i >= ys.length) return { value: undefined, done: true as const };
            const value = {
              xs: tf.tensor1d(xs[i]!),
              ys: tf.scalar(ys[i]!, 'int32'),
            };
            i++;
            return { value, done: false as const };
          },
        };
      },
    };
    const trainer = await Trainer.create({
      model: (seed) => mlp({ inputShape: [2], numClasses: 2, hidden: [8], seed }),
      recipe: recipes.ce(),
      train,
      test: testData,
      epochs: 3,
      batchSize: 32,
      learningRate: 0.1,
      seed: 0,
      progress: false,
    });
    const { final } = await trainer.fit();
    trainer.dispose();
    expect(final?.task).toBe('single-label');
    if (final?.task === 'single-label') expect(final.accuracy).toBeGreaterThan(0.9);
    expect(train.x.isDisposed).toBe(false); // the caller keeps its tensors
    tf.dispose([train.x, train.y, test.x, test.y]);
  });

  it('refuses data it cannot read', async () => {
    await expectTailwiseErrorAsync(
      () =>
        Trainer.create({
          model: (seed) => mlp({ inputShape: [2], numClasses: 2, seed }),
          recipe: recipes.ce(),
          train: [1, 2, 3] as never,
          epochs: 1,
          batchSize: 2,
          seed: 0,
        }),
      'INVALID_OPTION',
      /^Trainer\.create: expected `train` to be a Dataset, \{ x, y \} tensors or a tf\.data\.Dataset of \{ xs, ys \}/,
    );
  });
});
