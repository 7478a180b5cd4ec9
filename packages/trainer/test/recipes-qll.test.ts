import { createRng, type Dataset } from '@tailwise/core';
import { ambiguousMixup } from '@tailwise/datasets';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import { type AnyRecipe, recipes, Trainer } from '../src/index';

const D = 6;
const C = 4;

/** Balanced Gaussian blobs: class c shifts feature c by +3. */
function blobs(perClass: number, seed: number): Dataset {
  const rng = createRng(seed);
  const n = perClass * C;
  const features = new Float32Array(n * D);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % C;
    labels[i] = c;
    for (let d = 0; d < D; d++) features[i * D + d] = (d === c ? 3 : 0) + rng.normal(0, 0.6);
  }
  return { name: 'blobs', size: n, inputShape: [D], features, numClasses: C, labels };
}

function fit(recipe: AnyRecipe, train: Dataset, test: Dataset, epochs = 6, seed = 0) {
  const t = new Trainer({
    model: (s) => mlp({ inputShape: [D], numClasses: C, seed: s, hidden: [16] }),
    recipe,
    train,
    test,
    epochs,
    batchSize: 32,
    seed,
    learningRate: 0.1,
    progress: false,
  });
  return t.fit().finally(() => t.dispose());
}

describe('qll recipes (paper 003)', () => {
  const clean = blobs(60, 1);
  const test = blobs(40, 2);
  // the vector variant of the ambiguous setting: tabular mixtures with quantized labels
  const train = ambiguousMixup(clean, { m: 2, r: 4, size: 320, rng: createRng(3) });

  it('cpu learns from quantized labels, logs its risk and α, and is reproducible', async () => {
    const before = tf.memory().numTensors;
    const a = await fit(recipes.cpu({ m: 2 }), train, test);
    expect(tf.memory().numTensors).toBe(before);
    const b = await fit(recipes.cpu({ m: 2 }), train, test);
    expect(a.final!.task).toBe('single-label');
    const acc = a.final!.task === 'single-label' ? a.final!.accuracy : 0;
    expect(acc).toBeGreaterThan(0.8); // chance is 0.25
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    for (const h of a.history) {
      expect(h.cpuRisk as number).toBeGreaterThanOrEqual(0);
      expect(h.sjsAlpha as number).toBeGreaterThan(0);
      expect(h.sjsAlpha as number).toBeLessThanOrEqual(0.5);
      expect(Number.isFinite(h.loss)).toBe(true);
    }
    // α is drawn per step: the per-epoch means differ
    expect(new Set(a.history.map((h) => h.sjsAlpha)).size).toBeGreaterThan(1);
  });

  it('cpu variants (kl, ce, softmax, fixed α) and every peer train to finite losses', async () => {
    for (const recipe of [
      recipes.cpu({ m: 2, divergence: 'kl' }),
      recipes.cpu({ m: 2, divergence: 'ce', activation: 'softmax' }),
      recipes.cpu({ pi2: 0.5, alpha: 0.5 }),
      recipes.gce(),
      recipes.sce(),
      recipes.bootstrap({ beta: 0.6 }),
      recipes.js(),
    ]) {
      const r = await fit(recipe, train, test, 3);
      expect(r.history.every((h) => Number.isFinite(h.loss))).toBe(true);
      const acc = r.final!.task === 'single-label' ? r.final!.accuracy : 0;
      expect(acc).toBeGreaterThan(0.5);
    }
  });

  it('cpuSemi: CPU + FixMatch consistency on the same inputs, EMA evaluation', async () => {
    // tabular data: no image views, so 'none' (the consistency term then compares two equal
    // views, still a valid run of the pieces)
    const r = await fit(recipes.cpuSemi({ m: 2, views: 'none', threshold: 0.5 }), train, test, 4);
    expect(r.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    for (const h of r.history) {
      expect(h.cpuRisk as number).toBeGreaterThanOrEqual(0);
      expect(h.maskRate as number).toBeGreaterThanOrEqual(0);
      expect(h.maskRate as number).toBeLessThanOrEqual(1);
    }
    expect((r.history.at(-1)!.maskRate as number) > 0).toBe(true);
    // images: PatchMix mixtures of 8×8 blocks with image views
    const rng = createRng(4);
    const n = 64;
    const features = new Uint8Array(n * 64);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % C;
      for (let p = 0; p < 64; p++)
        features[i * 64 + p] = (Math.floor(p / 16) === i % C ? 200 : 20) + rng.int(30);
    }
    const images: Dataset = {
      name: 'blocks',
      size: n,
      inputShape: [8, 8, 1],
      features,
      numClasses: C,
      labels,
    };
    const mixed = ambiguousMixup(images, { m: 2, size: 64, rng: createRng(5) });
    const t = new Trainer({
      model: (s) => mlp({ inputShape: [8, 8, 1], numClasses: C, seed: s, hidden: [16] }),
      recipe: recipes.cpuSemi({ m: 2, lambdaU: 0.1, strongOps: 1 }),
      train: mixed,
      test: images,
      epochs: 2,
      batchSize: 16,
      seed: 0,
      progress: false,
    });
    const before = tf.memory().numTensors;
    const out = await t.fit();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(out.history.every((h) => Number.isFinite(h.loss))).toBe(true);
  });

  it('refuses bad options', async () => {
    expectTailwiseError(() => recipes.cpuSemi({ lambdaU: -1 }), 'INVALID_OPTION', /`lambdaU`/);
    expectTailwiseError(() => recipes.cpu({ m: 1 }), 'INVALID_OPTION', /`m` to be an integer >= 2/);
    expectTailwiseError(() => recipes.cpu({ pi2: 0 }), 'INVALID_OPTION', /`pi2`/);
    expectTailwiseError(() => recipes.cpu({ typo: 1 } as never), 'INVALID_OPTION', /`typo`/);
    expectTailwiseError(() => recipes.gce({ q: 0.7, k: 0.5 } as never), 'INVALID_OPTION', /`k`/);
    await expectTailwiseErrorAsync(
      () => fit(recipes.cpu({ m: 5 }), train, test, 1),
      'INVALID_OPTION',
      /at most the 4 classes for pi2: 'auto'/,
    );
    expectTailwiseError(
      () => recipes.cpu({ pi1: 2 }),
      'INVALID_OPTION',
      /recipes.cpu: expected `pi1` to be a number in \(0, 1\], got 2/,
    );
    expectTailwiseError(() => recipes.cpu({ alpha: 0.6 }), 'INVALID_OPTION', /`alpha`/);
  });
});
