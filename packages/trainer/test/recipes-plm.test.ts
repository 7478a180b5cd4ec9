import { type Batch, createRng, type Dataset } from '@tailwise/core';
import { batches, subset } from '@tailwise/datasets';
import { RatioAdapter } from '@tailwise/masking';
import { mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import { type AnyRecipe, recipes, type TrainContext, Trainer } from '../src/index';
import { undersampleMultiLabel, undersampleMultiLabelRows } from '../src/recipes/plm/undersample';
import { disposeState, fakeContext, stepGradient as runStep } from './recipe-helpers';

const D = 6;

/**
 * Multi-label toy set: class c is present with probability `probs[c]` (long-tailed), and
 * shifts feature c by +3 when present; features 3..5 are noise.
 */
function multiBlobs(n: number, probs: number[], seed: number): Dataset {
  const rng = createRng(seed);
  const C = probs.length;
  const features = new Float32Array(n * D);
  const multiLabels = new Float32Array(n * C);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < C; c++) if (rng.uniform() < probs[c]!) multiLabels[i * C + c] = 1;
    for (let d = 0; d < D; d++)
      features[i * D + d] = (d < C && multiLabels[i * C + d] === 1 ? 3 : 0) + rng.normal(0, 0.7);
  }
  return { name: 'multi-blobs', size: n, inputShape: [D], features, numClasses: C, multiLabels };
}

/** Single-label Gaussian blobs with long-tailed counts. */
function blobs(counts: number[], seed: number): Dataset {
  const rng = createRng(seed);
  const n = counts.reduce((a, b) => a + b, 0);
  const features = new Float32Array(n * D);
  const labels = new Int32Array(n);
  let i = 0;
  counts.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let d = 0; d < D; d++) features[i * D + d] = (d === c ? 3 : 0) + rng.normal(0, 0.7);
    }
  });
  return { name: 'blobs', size: n, inputShape: [D], features, numClasses: counts.length, labels };
}

const model = (seed: number) => mlp({ inputShape: [D], numClasses: 3, seed, hidden: [16] });
const PROBS = [0.6, 0.3, 0.08];

function trainer(
  recipe: AnyRecipe,
  train: Dataset,
  test: Dataset | undefined,
  epochs = 4,
  seed = 0,
) {
  return new Trainer({
    model,
    recipe,
    train,
    ...(test ? { test } : {}),
    epochs,
    batchSize: 16,
    seed,
    learningRate: 0.1,
    progress: false,
  });
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The first `size` rows of `train` as one batch (no shuffle). */
function firstBatch(train: Dataset, size: number): Batch {
  return batches(train, { batchSize: size }).next().value as Batch;
}

/** dL/dlogits of one recipe step and the loss value, as host arrays. */
async function stepGradient(
  recipe: AnyRecipe,
  ctx: TrainContext,
  state: object,
  batch: Batch,
  logits: tf.Variable,
) {
  const { value, grad, out } = await runStep(recipe, ctx, state, batch, logits);
  tf.dispose(out as unknown as tf.TensorContainer);
  return { value, grad };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('PLM family registration', () => {
  it('registers plm and its peers as recipes', () => {
    for (const name of ['plm', 'bce', 'focal', 'classBalanced', 'undersample'] as const) {
      const r = recipes[name]();
      expect(r.name).toBe(name);
      // target 'auto' decides the task per training set: nothing is required up front.
      expect(r.requires).toEqual([]);
    }
    expect(recipes.bce({ target: 'multiLabels' }).requires).toEqual(['multiLabels']);
    expect(recipes.bce({ target: 'labels' }).task).toBe('single-label');
  });
});

describe('recipes.plm', () => {
  it('trains on multi-label data: loss falls, ratios adapt, sigmoid evaluation', async () => {
    const t = trainer(recipes.plm(), multiBlobs(240, PROBS, 1), multiBlobs(120, PROBS, 2), 6);
    const { history, final, task } = await t.fit();
    expect(task).toBe('multi-label');
    expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(history[5]!.loss).toBeLessThan(history[0]!.loss);
    expect(final?.task).toBe('multi-label');
    if (final?.task === 'multi-label') {
      expect(final.f1).toBeGreaterThan(0.7);
      expect(Number.isFinite(final.rarestRecall)).toBe(true);
    }
    for (const h of history) {
      const r = h.idealRatio as number[];
      expect(r).toHaveLength(3);
      expect(r.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
    t.dispose();
  });

  it('trains on single-label data as one-hot targets, evaluated by argmax with rarest error', async () => {
    const recipe = recipes.plm({ loss: 'focal' });
    const t = trainer(recipe, blobs([120, 40, 12], 1), blobs([30, 30, 30], 2), 6);
    const { history, final, task } = await t.fit();
    expect(task).toBe('single-label');
    expect(history[5]!.loss).toBeLessThan(history[0]!.loss);
    expect(final?.task).toBe('single-label');
    if (final?.task === 'single-label') {
      expect(final.accuracy).toBeGreaterThan(0.85);
      expect(final.groups).toEqual({ many: [0], medium: [1], few: [2] });
      // 3 classes: the 3 rarest are all of them, so rarest error = 1 − mean per-class accuracy.
      const meanPerClass = final.perClass.reduce((a, b) => a! + b!, 0)! / 3;
      expect(final.rarestError).toBeCloseTo(1 - meanPerClass, 6);
    }
    // docs/methods/002-plm.md: λ = 1.0 for ≤ 10-class single-label data, so r̄ moves by e^{D_c}
    // per epoch; it has moved well away from the dataset's r = [120/52, 40/132, 12/160].
    const r = history[0]!.idealRatio as number[];
    expect(
      r.some((v, c) => Math.abs(Math.log(v / [120 / 52, 40 / 132, 12 / 160][c]!)) > 0.05),
    ).toBe(true);
    t.dispose();
  });

  it('multiplies the mask into the per-element loss: masked elements get zero gradient', async () => {
    const train = multiBlobs(64, PROBS, 3);
    const n = train.size;
    const C = 3;
    const pos = [0, 1, 2].map((c) => {
      let k = 0;
      for (let i = 0; i < n; i++) k += train.multiLabels![i * C + c]!;
      return k;
    });
    const r = pos.map((k) => k / (n - k));
    // r̄_0 ≪ r_0: class 0's positives are kept with probability r̄/r = 1e-6 (eq. 3);
    // r̄_2 ≫ r_2: class 2's negatives are kept with probability r/r̄ = 1e-6; class 1 untouched.
    const recipe = recipes.plm({
      initial: [r[0]! * 1e-6, r[1]!, r[2]! * 1e6],
      target: 'multiLabels',
    });
    const B = 16;
    const batch = firstBatch(train, B);
    const x = Array.from({ length: B * C }, (_, k) => Math.sin(k) * 2);
    const logits = tf.variable(tf.tensor2d(x, [B, C]));
    const ctx = fakeContext(train, logits);
    const { state } = await recipe.setup(ctx);
    const { value, grad } = await stepGradient(recipe, ctx, state, batch, logits);
    const y = Array.from(await batch.multiLabels!.data());
    let expectedLoss = 0;
    let masked = 0;
    for (let k = 0; k < B * C; k++) {
      const c = k % C;
      const keep = !((c === 0 && y[k] === 1) || (c === 2 && y[k] === 0));
      // BCE: ℓ = softplus(x) − x·y, dℓ/dx = σ(x) − y; L = Σ g·ℓ / B.
      const expected = keep ? (sigmoid(x[k]!) - y[k]!) / B : 0;
      expect(grad[k]).toBeCloseTo(expected, 5);
      if (keep) expectedLoss += Math.log1p(Math.exp(x[k]!)) - x[k]! * y[k]!;
      else masked += 1;
    }
    expect(masked).toBeGreaterThan(4);
    expect(value).toBeCloseTo(expectedLoss / B, 4);
    tf.dispose([logits, batch as unknown as tf.TensorContainer]);
    disposeState(state);
  });

  it('draws a fresh mask every step, the same sequence per seed', async () => {
    const train = multiBlobs(64, [0.5, 0.5, 0.5], 4);
    const B = 32;
    const C = 3;
    // Every ideal ratio at a quarter of the dataset's: each positive kept with probability 1/4.
    const run = async (seed: number) => {
      const n = train.size;
      const r = [0, 1, 2].map((c) => {
        let k = 0;
        for (let i = 0; i < n; i++) k += train.multiLabels![i * C + c]!;
        return k / (n - k);
      });
      const recipe = recipes.plm({ initial: r.map((v) => v / 4), target: 'multiLabels' });
      const batch = firstBatch(train, B);
      const logits = tf.variable(tf.zeros([B, C]));
      const ctx = fakeContext(train, logits, seed);
      const { state } = await recipe.setup(ctx);
      const y = Array.from(await batch.multiLabels!.data());
      const masks: number[][] = [];
      for (let s = 0; s < 3; s++) {
        const { grad } = await stepGradient(recipe, ctx, state, batch, logits);
        // At logits 0, dℓ/dx = (0.5 − y)/B ≠ 0, so a zero gradient is exactly a masked entry.
        masks.push(grad.map((g) => (g === 0 ? 0 : 1)));
      }
      tf.dispose([logits, batch as unknown as tf.TensorContainer]);
      disposeState(state);
      return { masks, y };
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b.masks).toEqual(a.masks);
    expect(a.masks[1]).not.toEqual(a.masks[0]);
    expect(a.masks[2]).not.toEqual(a.masks[1]);
    expect(c.masks[0]).not.toEqual(a.masks[0]);
    // Negatives (r ≥ r̄) are always kept; positives are dropped at about 3/4.
    const flat = a.masks.flat();
    const ys = [...a.y, ...a.y, ...a.y];
    expect(flat.every((m, k) => ys[k] === 1 || m === 1)).toBe(true);
    const positives = ys.filter((v) => v === 1).length;
    const dropped = flat.filter((m, k) => ys[k] === 1 && m === 0).length;
    expect(dropped / positives).toBeGreaterThan(0.55);
    expect(dropped / positives).toBeLessThan(0.95);
  });

  it('steps the ratio adapter once per epoch and records a changing idealRatio', async () => {
    const step = vi.spyOn(RatioAdapter.prototype, 'step');
    const observe = vi.spyOn(RatioAdapter.prototype, 'observe');
    const train = multiBlobs(160, PROBS, 5);
    const t = trainer(recipes.plm({ lambda: 0.5 }), train, undefined, 4);
    const { history } = await t.fit();
    expect(step).toHaveBeenCalledTimes(4);
    // Every training batch is observed once: 160 / 16 = 10 steps per epoch.
    expect(observe).toHaveBeenCalledTimes(40);
    const ratios = history.map((h) => h.idealRatio as number[]);
    expect(ratios).toHaveLength(4);
    for (let e = 1; e < 4; e++) expect(ratios[e]).not.toEqual(ratios[e - 1]);
    t.dispose();
  });

  it('keeps every ratio finite through a fit where a class has no positive in an epoch', async () => {
    const train = multiBlobs(160, PROBS, 6);
    const C = 3;
    const withoutClass2: number[] = [];
    for (let i = 0; i < train.size; i++)
      if (train.multiLabels![i * C + 2] === 0) withoutClass2.push(i);
    const noTail = subset(train, withoutClass2);
    const base = recipes.plm({ target: 'multiLabels', lambda: 0.5 });
    // Even epochs see no sample positive for class 2 (D⁺_2 is undefined there).
    const recipe: AnyRecipe = {
      ...base,
      epochData: (ctx) => (ctx.epoch % 2 === 0 ? noTail : train),
    };
    const t = trainer(recipe, train, undefined, 5);
    const { history } = await t.fit();
    for (const h of history) {
      const r = h.idealRatio as number[];
      expect(r.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
    expect(history[0]!.ratioExcluded).toEqual([2]);
    expect(history[1]!.ratioExcluded).toBeUndefined();
    // The excluded class keeps its ratio in that epoch; the others move.
    const r0 = history[1]!.idealRatio as number[];
    const r1 = history[2]!.idealRatio as number[];
    expect(r1[2]).toBe(r0[2]);
    expect(r1[0]).not.toBe(r0[0]);
    t.dispose();
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const run = async (seed: number) => {
      const t = trainer(recipes.plm({ lambda: 0.5 }), multiBlobs(96, PROBS, 7), undefined, 2, seed);
      const { history } = await t.fit();
      t.dispose();
      return history.map((h) => [h.loss, h.idealRatio]);
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it('refuses bad options with clear errors', () => {
    expectTailwiseError(
      () => recipes.plm({ tau: 1 }),
      'INVALID_OPTION',
      /recipes\.plm: expected `tau` to be an integer >= 2, got 1/,
    );
    expectTailwiseError(() => recipes.plm({ tau: 2.5 }), 'INVALID_OPTION', /`tau`/);
    expectTailwiseError(
      () => recipes.plm({ lambda: -1 }),
      'INVALID_OPTION',
      /`lambda` to be a number >= 0/,
    );
    expectTailwiseError(
      () => recipes.plm({ lambda: Number.NaN }),
      'INVALID_OPTION',
      /`lambda`.*NaN/,
    );
    expectTailwiseError(
      () => recipes.plm({ initial: [1, 0, 2] }),
      'INVALID_VALUE',
      /`initial` to be positive ratios \(> 0\), got 0 at index 1/,
    );
    expectTailwiseError(() => recipes.plm({ initial: [1, -2] }), 'INVALID_VALUE', /-2 at index 1/);
    expectTailwiseError(
      () => recipes.plm({ initial: [1, Number.NaN] }),
      'NON_FINITE',
      /`initial` to be finite positive ratios, got NaN at index 1/,
    );
    expectTailwiseError(
      () => recipes.plm({ initial: [Number.POSITIVE_INFINITY] }),
      'NON_FINITE',
      /Infinity/,
    );
    expectTailwiseError(
      () => recipes.plm({ initial: 'median' as never }),
      'INVALID_OPTION',
      /`initial`/,
    );
    expectTailwiseError(() => recipes.plm({ initial: [] }), 'INVALID_OPTION', /`initial`/);
    expectTailwiseError(() => recipes.plm({ clip: '1' }), 'INVALID_OPTION', /`clip` to be a pair/);
    expectTailwiseError(
      () => recipes.plm({ clip: [2, 1] }),
      'INVALID_OPTION',
      /`clip\[1\]` to be a number >= 2/,
    );
    expectTailwiseError(
      () => recipes.plm({ clip: [0, 0] }),
      'INVALID_OPTION',
      /`clip\[1\]` to be a number > 0/,
    );
    expectTailwiseError(
      () => recipes.plm({ loss: 'ce' as never }),
      'INVALID_OPTION',
      /`loss` to be one of 'bce', 'focal', 'classBalanced'/,
    );
    expectTailwiseError(() => recipes.plm({ beta: 1 }), 'INVALID_OPTION', /`beta`/);
    expectTailwiseError(
      () => recipes.plm({ target: 'candidates' as never }),
      'INVALID_OPTION',
      /`target`/,
    );
    expectTailwiseError(
      () => recipes.plm({ ratio: 2 } as never),
      'INVALID_OPTION',
      /`ratio` to be one of the known options/,
    );
    // The CLI's "0,1" string form is accepted and resolved.
    expect((recipes.plm({ clip: '0,1' }).options as { clip: unknown }).clip).toEqual([0, 1]);
  });

  it('refuses training data it cannot use', async () => {
    const good = multiBlobs(64, PROBS, 8);
    const unknown = {
      ...good,
      multiLabels: Float32Array.from(good.multiLabels!, (v, i) => (i === 5 ? -1 : v)),
    };
    await expectTailwiseErrorAsync(
      () => trainer(recipes.plm(), unknown, undefined, 1).fit(),
      'INVALID_VALUE',
      /recipes\.plm: expected `train\.multiLabels` to be made of 0\/1 values, got -1 at flat index 5/,
    );
    const soft = {
      ...good,
      multiLabels: Float32Array.from(good.multiLabels!, (v, i) => (i === 7 ? 0.5 : v)),
    };
    await expectTailwiseErrorAsync(
      () => trainer(recipes.plm(), soft, undefined, 1).fit(),
      'INVALID_VALUE',
      /0\.5 at flat index 7/,
    );
    const noTail = {
      ...good,
      multiLabels: Float32Array.from(good.multiLabels!, (v, i) => (i % 3 === 2 ? 0 : v)),
    };
    await expectTailwiseErrorAsync(
      () => trainer(recipes.plm(), noTail, undefined, 1).fit(),
      'INVALID_VALUE',
      /at least one positive sample per class .*got no positive sample of class 2/,
    );
    await expectTailwiseErrorAsync(
      () => trainer(recipes.plm({ initial: [0.5, 0.5] }), good, undefined, 1).fit(),
      'SHAPE_MISMATCH',
      /`initial` to be 3 ratios \(one per class\), got 2/,
    );
    const bare: Dataset = { ...blobs([10, 10, 10], 1), labels: undefined };
    await expectTailwiseErrorAsync(
      () => trainer(recipes.plm(), bare, undefined, 1).fit(),
      'INVALID_VALUE',
      /a dataset with `multiLabels` or `labels`/,
    );
    expectTailwiseError(
      () => trainer(recipes.plm({ target: 'multiLabels' }), blobs([10, 10, 10], 1), undefined, 1),
      'INVALID_VALUE',
      /with `multiLabels` \(needed by recipe 'plm'\)/,
    );
  });
});

describe('PLM peers', () => {
  const B = 8;
  const C = 3;

  async function peerStep(recipe: AnyRecipe, train: Dataset) {
    const batch = firstBatch(train, B);
    const x = Array.from({ length: B * C }, (_, k) => Math.cos(3 * k) * 1.5);
    const logits = tf.variable(tf.tensor2d(x, [B, C]));
    const ctx = fakeContext(train, logits);
    const { state } = await recipe.setup(ctx);
    const out = await stepGradient(recipe, ctx, state, batch, logits);
    disposeState(state);
    const y = batch.multiLabels
      ? Array.from(await batch.multiLabels.data())
      : Array.from(await batch.labels!.data()).flatMap((l) =>
          [0, 1, 2].map((c) => (c === l ? 1 : 0)),
        );
    tf.dispose([logits, batch as unknown as tf.TensorContainer]);
    return { ...out, x, y };
  }

  it('bce is the per-element BCE summed over classes, averaged over the batch (one-hot for single-label)', async () => {
    for (const train of [multiBlobs(32, PROBS, 9), blobs([6, 2, 1], 9)]) {
      const { value, grad, x, y } = await peerStep(recipes.bce(), train);
      // ℓ = log(1 + e^x) − x·y; L = Σ ℓ / B.
      const expected = x.reduce((a, xi, k) => a + Math.log1p(Math.exp(xi)) - xi * y[k]!, 0) / B;
      expect(value).toBeCloseTo(expected, 4);
      grad.forEach((g, k) => {
        expect(g).toBeCloseTo((sigmoid(x[k]!) - y[k]!) / B, 5);
      });
    }
  });

  it('focal is the binary focal loss with γ', async () => {
    const { value, x, y } = await peerStep(recipes.focal({ gamma: 2 }), multiBlobs(32, PROBS, 10));
    // ℓ = −[y(1 − p)^γ log p + (1 − y) p^γ log(1 − p)].
    const expected =
      x.reduce((a, xi, k) => {
        const p = sigmoid(xi);
        return a - (y[k]! * (1 - p) ** 2 * Math.log(p) + (1 - y[k]!) * p ** 2 * Math.log(1 - p));
      }, 0) / B;
    expect(value).toBeCloseTo(expected, 4);
  });

  it('classBalanced weights each class by its effective number (β = 0.999)', async () => {
    const train = blobs([20, 6, 2], 11);
    const { value, x, y } = await peerStep(recipes.classBalanced(), train);
    // w_c = (1 − β)/(1 − β^{n_c}), normalised to sum to C.
    const raw = [20, 6, 2].map((n) => (1 - 0.999) / (1 - 0.999 ** n));
    const w = raw.map((v) => (v * 3) / raw.reduce((a, b) => a + b, 0));
    const expected =
      x.reduce((a, xi, k) => a + w[k % C]! * (Math.log1p(Math.exp(xi)) - xi * y[k]!), 0) / B;
    expect(value).toBeCloseTo(expected, 4);
  });

  it('refuses a loss other than its own (a global --loss meant for PLM)', () => {
    expect(recipes.bce({ loss: 'bce' }).name).toBe('bce');
    expectTailwiseError(
      () => recipes.bce({ loss: 'focal' as never }),
      'INVALID_OPTION',
      /recipes\.bce: expected `loss` to be 'bce' or absent/,
    );
    expectTailwiseError(
      () => recipes.focal({ loss: 'bce' as never }),
      'INVALID_OPTION',
      /recipes\.focal: expected `loss` to be 'focal'/,
    );
    expectTailwiseError(() => recipes.focal({ gamma: -1 }), 'INVALID_OPTION', /`gamma`/);
    expectTailwiseError(
      () => recipes.classBalanced({ beta: 1 }),
      'INVALID_OPTION',
      /`beta` to be a number in \[0, 1\)/,
    );
    expectTailwiseError(
      () => recipes.undersample({ maxPerClass: 0 }),
      'INVALID_OPTION',
      /`maxPerClass` to be an integer >= 1/,
    );
    expectTailwiseError(
      () => recipes.undersample({ loss: 'classBalanced' as never }),
      'INVALID_OPTION',
      /`loss`/,
    );
  });

  it('undersample draws at most S per class each epoch (single-label), fresh every epoch', async () => {
    const train = blobs([80, 24, 8], 12);
    const seen: number[][] = [];
    const recipe = recipes.undersample({ maxPerClass: 16 });
    const t = new Trainer({
      model,
      recipe,
      train,
      epochs: 3,
      batchSize: 8,
      seed: 0,
      learningRate: 0.1,
      progress: false,
      callbacks: { onStepEnd: () => {} },
    });
    const afterStep = vi.fn((_ctx: TrainContext, _state: unknown, step: { batch: Batch }) => {
      seen.push(Array.from(step.batch.indices));
    });
    (recipe as { afterStep?: unknown }).afterStep = afterStep;
    // Epoch = 16 + 16 + 8 = 40 samples = 5 batches of 8.
    const { data, state } = await recipe.setup(
      fakeContext(train, tf.variable(tf.zeros([1, 3])), 0, { batchSize: 8 }),
    );
    expect(data?.stepsPerEpoch).toBe(5);
    disposeState(state);
    const { history } = await t.fit();
    expect(afterStep).toHaveBeenCalledTimes(15);
    expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
    expect(Math.round(history[0]!.samplesPerSecond * history[0]!.seconds)).toBe(40);
    t.dispose();
  });

  it('multi-label undersampling: no duplicates, each class ≥ min(n_c, S), at most S new rows per class', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, S, seed) => {
          const data = multiBlobs(n, [0.7, 0.3, 0.1], seed);
          const out = undersampleMultiLabel(data, { maxPerClass: S, rng: createRng(seed) });
          const y = out.multiLabels!;
          const counts = [0, 0, 0];
          let empty = 0;
          for (let i = 0; i < out.size; i++) {
            let any = false;
            for (let c = 0; c < 3; c++) {
              if (y[i * 3 + c] === 1) {
                counts[c]! += 1;
                any = true;
              }
            }
            if (!any) empty += 1;
          }
          const source = [0, 1, 2].map((c) => {
            let k = 0;
            for (let i = 0; i < n; i++) k += data.multiLabels![i * 3 + c]!;
            return k;
          });
          let sourceEmpty = 0;
          for (let i = 0; i < n; i++)
            if ([0, 1, 2].every((c) => data.multiLabels![i * 3 + c] === 0)) sourceEmpty += 1;
          counts.forEach((k, c) => {
            expect(k).toBeGreaterThanOrEqual(Math.min(source[c]!, S));
          });
          expect(empty).toBe(Math.min(sourceEmpty, S));
          // Each class (and the empty group) adds at most S rows of its own.
          expect(out.size).toBeLessThanOrEqual(4 * S);
          // The same draw as rows: strictly ascending, so no row twice.
          const rows = undersampleMultiLabelRows(data, { maxPerClass: S, rng: createRng(seed) });
          expect(rows).toHaveLength(out.size);
          rows.forEach((r, k) => {
            if (k > 0) expect(r).toBeGreaterThan(rows[k - 1]!);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('undersample trains on multi-label data with the multi-label draw', async () => {
    const train = multiBlobs(200, PROBS, 13);
    const recipe = recipes.undersample({ maxPerClass: 20 });
    const t = trainer(recipe, train, multiBlobs(60, PROBS, 14), 3);
    const { history, final } = await t.fit();
    expect(final?.task).toBe('multi-label');
    expect(history.every((h) => Number.isFinite(h.loss))).toBe(true);
    // Far fewer samples than the 200 of the training set per epoch.
    expect(history[0]!.samplesPerSecond * history[0]!.seconds).toBeLessThan(120);
    t.dispose();
  });
});

describe('memory', () => {
  it('frees everything over fit() + dispose() for every recipe of the family', async () => {
    const multi = multiBlobs(64, PROBS, 15);
    const single = blobs([40, 16, 8], 15);
    const before = tf.memory().numTensors;
    for (const make of [
      () => recipes.plm(),
      () => recipes.plm({ loss: 'classBalanced', clip: [0.001, 10] }),
      () => recipes.plm({ loss: 'focal', initial: 'mean' }),
      () => recipes.bce(),
      () => recipes.focal(),
      () => recipes.classBalanced({ loss: 'focal' }),
      () => recipes.undersample({ maxPerClass: 10 }),
    ]) {
      for (const data of [multi, single]) {
        const t = trainer(make(), data, data, 2);
        await t.fit();
        t.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    }
  });
});
