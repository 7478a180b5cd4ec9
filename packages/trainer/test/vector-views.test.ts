import { createRng, type Dataset } from '@tailwise/core';
import { gaussianNoise, partialLabels, scarfCorruption } from '@tailwise/datasets';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import { recipes, Trainer } from '../src/index';
import { applyView, NO_VIEWS, resolveViews } from '../src/views';

const SETTINGS = {
  flip: false,
  translate: 0.125,
  strongOps: 2,
  cutout: 0.5,
  noiseStd: 0.1,
  corruptionRate: 0.6,
};

/** Three Gaussian blobs in D = 6 standardised-looking features. */
function blobs(counts: number[], seed: number): Dataset {
  const rng = createRng(seed);
  const n = counts.reduce((a, b) => a + b, 0);
  const d = 6;
  const features = new Float32Array(n * d);
  const labels = new Int32Array(n);
  let i = 0;
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let j = 0; j < d; j++) features[i * d + j] = (j === c ? 2 : -0.5) + rng.normal(0, 0.5);
    }
  });
  return { name: 'blobs', size: n, inputShape: [d], features, numClasses: 3, labels };
}

describe('vector views', () => {
  it("'auto' and 'vector' give Gaussian noise / SCARF for [D] inputs, seeded like the leaf ops", () => {
    for (const option of ['auto', 'vector'] as const) {
      const views = resolveViews(option, [6], SETTINGS, 'test');
      const x = tf.randomNormal([5, 6], 0, 1, 'float32', 1);
      const before = tf.memory().numTensors;
      const weak = applyView(views.weak, x, createRng(3));
      const strong = applyView(views.strong, x, createRng(4));
      expect(tf.memory().numTensors - before).toBe(2);
      const weakRef = gaussianNoise(x, { rng: createRng(3), std: 0.1 });
      const strongRef = scarfCorruption(x, { rng: createRng(4), rate: 0.6 });
      expect(Array.from(weak.dataSync())).toEqual(Array.from(weakRef.dataSync()));
      expect(Array.from(strong.dataSync())).toEqual(Array.from(strongRef.dataSync()));
      // The strong view changes round(0.6 · 6) = 4 features of most rows, never their scale.
      expect(Array.from(strong.dataSync())).not.toEqual(Array.from(x.dataSync()));
      tf.dispose([x, weak, strong, weakRef, strongRef]);
    }
    expect(resolveViews('none', [6], SETTINGS, 'test')).toBe(NO_VIEWS);
  });

  it('refuses vector views for images and image views for vectors', () => {
    expectTailwiseError(
      () => resolveViews('vector', [8, 8, 1], SETTINGS, 'fixMatch'),
      'SHAPE_MISMATCH',
      /fixMatch: expected `views` to be inputs of shape \[D\] \(feature vectors\) or \[H, W, 1\|3\] \(images\) for 'vector' views/,
    );
    expectTailwiseError(
      () => resolveViews('image', [6], SETTINGS, 'plr'),
      'SHAPE_MISMATCH',
      /plr: expected `views` to be inputs of shape \[H, W, 1\] or \[H, W, 3\] for 'image' views/,
    );
  });

  const fit = async (
    recipe: ReturnType<typeof recipes.fixMatch> | ReturnType<typeof recipes.plr>,
    train: Dataset,
    unlabeled?: Dataset,
  ) => {
    const trainer = new Trainer({
      model: (seed) => mlp({ inputShape: [6], numClasses: 3, seed, hidden: [16] }),
      recipe: recipe as never,
      train,
      ...(unlabeled ? { unlabeled } : {}),
      test: blobs([10, 10, 10], 9),
      epochs: 2,
      batchSize: 8,
      seed: 0,
      progress: false,
    });
    try {
      return await trainer.fit();
    } finally {
      trainer.dispose();
    }
  };

  it('FixMatch and PLR train on vectors with their default views, which change the run', async () => {
    const labeled = blobs([8, 8, 8], 1);
    const unlabeled = blobs([30, 20, 10], 2);
    const auto = await fit(recipes.fixMatch({ mu: 2, threshold: 0.5 }), labeled, unlabeled);
    const none = await fit(
      recipes.fixMatch({ mu: 2, threshold: 0.5, views: 'none' }),
      labeled,
      unlabeled,
    );
    expect(auto.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(auto.history.at(-1)!.loss).not.toBe(none.history.at(-1)!.loss);
    const again = await fit(recipes.fixMatch({ mu: 2, threshold: 0.5 }), labeled, unlabeled);
    expect(again.history.map((h) => h.loss)).toEqual(auto.history.map((h) => h.loss));
    const pll = partialLabels(blobs([20, 15, 10], 3), { psi: 0.3, rng: createRng(0) });
    const plr = await fit(recipes.plr(), pll);
    expect(plr.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(plr.final?.task).toBe('single-label');
  });
});
