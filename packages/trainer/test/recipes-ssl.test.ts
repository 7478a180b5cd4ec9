import { createRng, type Dataset, type Rng } from '@tailwise/core';
import { semiSupervisedSplit, sslBatches } from '@tailwise/datasets';
import { type Classifier, mlp } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import {
  recipes,
  type SslLossResult,
  type SslRecipe,
  type SslState,
  type SslStep,
  type TrainContext,
  Trainer,
} from '../src/index';
import { disposeState } from './recipe-helpers';

// ---------------------------------------------------------------- fixtures

const SIDE = 8;
/** Top-left corner of each class's bright 3×3 square in an 8×8 image. */
const CORNERS = [
  [1, 1],
  [1, 4],
  [4, 2],
];

/** 8×8×1 images: class c is a bright 3×3 square at CORNERS[c] on faint noise. */
function squares(counts: number[], seed: number, name = 'squares'): Dataset {
  const rng = createRng(seed);
  const n = counts.reduce((a, b) => a + b, 0);
  const features = new Float32Array(n * SIDE * SIDE);
  const labels = new Int32Array(n);
  let i = 0;
  counts.forEach((count, c) => {
    const [top, left] = CORNERS[c]!;
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      for (let p = 0; p < SIDE * SIDE; p++) features[i * SIDE * SIDE + p] = rng.uniform(0, 0.15);
      for (let y = top!; y < top! + 3; y++)
        for (let x = left!; x < left! + 3; x++) features[i * SIDE * SIDE + y * SIDE + x] = 0.9;
    }
  });
  return {
    name,
    size: n,
    inputShape: [SIDE, SIDE, 1],
    features,
    numClasses: 3,
    labels,
  };
}

const LABELED = squares([40, 16, 8], 1, 'labeled');
const UNLABELED = squares([120, 48, 24], 2, 'unlabeled');
const TEST = squares([20, 20, 20], 3, 'test');
const model = (seed: number) =>
  mlp({ inputShape: [SIDE, SIDE, 1], numClasses: 3, seed, hidden: [16] });
/** Fast settings for the toy problem: no flips (the classes are positions), small steps. */
const FAST = { mu: 2, flip: false } as const;

type Factory = (options: Record<string, unknown>) => SslRecipe;
const ALL: [string, Factory][] = [
  ['fixMatch', recipes.fixMatch as Factory],
  ['fixMatchDa', recipes.fixMatchDa as Factory],
  ['laSup', recipes.laSup as Factory],
  ['udal', recipes.udal as Factory],
];

async function fit(
  recipe: SslRecipe,
  options: {
    epochs?: number;
    seed?: number;
    inferenceTau?: number;
    test?: Dataset;
    train?: Dataset;
    unlabeled?: Dataset;
  } = {},
) {
  const trainer = new Trainer({
    model,
    recipe,
    train: options.train ?? LABELED,
    unlabeled: options.unlabeled ?? UNLABELED,
    ...(options.test === undefined ? {} : { test: options.test }),
    epochs: options.epochs ?? 2,
    batchSize: 8,
    seed: options.seed ?? 0,
    learningRate: 0.1,
    progress: false,
    ...(options.inferenceTau === undefined ? {} : { inferenceTau: options.inferenceTau }),
  });
  try {
    return await trainer.fit();
  } finally {
    trainer.dispose();
  }
}

/**
 * A classifier whose logits are its input: images `[B, 1, C, 1]` hold the logits, so a loss
 * can be checked against hand arithmetic. With `weight`, it has one variable (for the EMA).
 */
function identityClassifier(numClasses: number, weight?: tf.Variable): Classifier {
  return {
    apply: (x) => tf.reshape(x, [x.shape[0]!, numClasses]) as tf.Tensor2D,
    trainableVariables: weight ? [weight] : [],
    numClasses,
    inputShape: [1, numClasses, 1],
    getWeights: () => (weight ? [tf.clone(weight)] : []),
    setWeights: (w) => {
      if (weight) weight.assign(w[0]!);
    },
    dispose: () => weight?.dispose(),
  };
}

/** A labeled set of 1×C×1 "images" with the given labels (p_data = their frequencies). */
function logitSet(labels: number[], numClasses: number, name = 'logits'): Dataset {
  return {
    name,
    size: labels.length,
    inputShape: [1, numClasses, 1],
    features: new Float32Array(labels.length * numClasses),
    numClasses,
    labels: Int32Array.from(labels),
  };
}

function fakeContext(
  classifier: Classifier,
  train: Dataset,
  at: {
    epoch?: number;
    totalEpochs?: number;
    batchSize?: number;
    rng?: Rng;
    unlabeled?: Dataset;
  } = {},
): TrainContext & { epoch: number } {
  return {
    epoch: at.epoch ?? 0,
    totalEpochs: at.totalEpochs ?? 1,
    step: 0,
    stepsPerEpoch: 1,
    totalSteps: at.totalEpochs ?? 1,
    batchSize: at.batchSize ?? 1,
    learningRate: 0.05,
    rng: at.rng ?? createRng(0),
    model: classifier,
    train,
    unlabeled: at.unlabeled ?? logitSet([0, 1], classifier.numClasses, 'u'),
    numClasses: classifier.numClasses,
    trainCounts: [],
    reinitializeModel: () => {},
    predictProbabilities: async () => new Float32Array(),
  };
}

/** One step whose three views are the given logit rows (identity classifier). */
function logitStep(
  labeled: number[][],
  labels: number[],
  weak: number[][],
  strong: number[][],
): SslStep {
  const c = labeled[0]!.length;
  const img = (rows: number[][]) => tf.tensor4d(rows.flat(), [rows.length, 1, c, 1]);
  return {
    labeled: {
      indices: Int32Array.from(labels.keys()),
      x: img(labeled),
      labels: tf.tensor1d(labels, 'int32'),
    },
    unlabeled: { indices: Int32Array.from(weak.keys()), x: img(weak) },
    labeledWeak: img(labeled),
    unlabeledWeak: img(weak),
    unlabeledStrong: img(strong),
  };
}

// Independent plain-JS implementations of the formulas (docs/methods/004-udal.md).
const logSumExp = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(v.reduce((a, x) => a + Math.exp(x - m), 0));
};
const ce = (label: number, logits: number[]) => logSumExp(logits) - logits[label]!;
const softmax = (v: number[]) => v.map((x) => Math.exp(x - logSumExp(v)));
const normalize = (v: number[]) => v.map((x) => x / v.reduce((a, b) => a + b, 0));
const alphaAt = (alphaMin: number, k: number, t: number, T: number) =>
  1 - (1 - alphaMin) * (t / T) ** k;
const adjust = (current: number[], target: number[]) =>
  current.map((c, i) => Math.log((c + 1e-9) / (target[i]! + 1e-9)));
const add = (a: number[], b: number[]) => a.map((x, i) => x + b[i]!);

/** Runs the recipe's loss on a hand-made step; returns the loss and the typed result (caller disposes). */
function lossOf(
  recipe: SslRecipe,
  ctx: TrainContext,
  state: SslState,
  step: SslStep,
): { value: number; out: SslLossResult } {
  const out = tf.tidy(
    () => recipe.loss(ctx, state, step) as unknown as tf.TensorContainer,
  ) as unknown as SslLossResult;
  return { value: out.loss.dataSync()[0]!, out };
}

// ---------------------------------------------------------------- training

describe('ssl recipes: training end to end', () => {
  it.each(ALL)(
    '%s trains: finite falling loss, logs, accuracy on the toy problem',
    async (name, make) => {
      const { history, final, finalLA } = await fit(make({ ...FAST, threshold: 0.8 }), {
        epochs: 5,
        test: TEST,
        inferenceTau: 1,
      });
      expect(history).toHaveLength(5);
      for (const h of history) expect(Number.isFinite(h.loss)).toBe(true);
      expect(history[4]!.loss).toBeLessThan(history[0]!.loss);
      expect(final?.task === 'single-label' && final.accuracy).toBeGreaterThan(0.8);
      expect(finalLA?.task).toBe('single-label');
      const last = history[4]!;
      const pHat = last.pHat as number[];
      expect(pHat).toHaveLength(3);
      expect(pHat.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(last.maskRate).toBeGreaterThan(0);
      expect(last.maskRate).toBeLessThanOrEqual(1);
      expect((last.pseudoLabelDistribution as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(
        1,
        6,
      );
      expect(last.pseudoLabelAccuracy).toBeGreaterThan(0.5);
      expect('alpha' in last).toBe(name !== 'fixMatch');
    },
  );

  it('an epoch is one pass over the labeled set, or epochSteps steps', async () => {
    const stepsSeen = async (options: Record<string, unknown>) => {
      let steps = 0;
      const trainer = new Trainer({
        model,
        recipe: recipes.fixMatch({ ...FAST, ...options }),
        train: LABELED,
        unlabeled: UNLABELED,
        epochs: 2,
        batchSize: 8,
        seed: 0,
        progress: false,
        callbacks: { onStepEnd: () => (steps += 1) },
      });
      await trainer.fit();
      trainer.dispose();
      return steps;
    };
    expect(await stepsSeen({})).toBe(2 * 8); // 64 labeled rows / B = 8
    expect(await stepsSeen({ epochSteps: 11 })).toBe(22); // spans a re-shuffled second pass
  });

  it('is deterministic per seed and differs across seeds', async () => {
    const losses = async (seed: number) =>
      (await fit(recipes.udal(FAST), { seed })).history.map((h) => h.loss);
    const a = await losses(4);
    expect(await losses(4)).toEqual(a);
    expect(await losses(5)).not.toEqual(a);
  });

  it('never trains on the labels of the unlabeled set', async () => {
    // Same seed, unlabeled labels present / scrambled / absent: identical training.
    const { labels, ...withoutLabels } = UNLABELED;
    const scrambled = { ...UNLABELED, labels: labels!.map((y) => (y + 1) % 3) };
    const run = async (unlabeled: Dataset) =>
      (await fit(recipes.udal(FAST), { seed: 2, unlabeled })).history;
    const base = await run(UNLABELED);
    const other = await run(scrambled);
    const none = await run(withoutLabels as Dataset);
    expect(other.map((h) => h.loss)).toEqual(base.map((h) => h.loss));
    expect(none.map((h) => h.loss)).toEqual(base.map((h) => h.loss));
    expect(none.map((h) => h.pHat)).toEqual(base.map((h) => h.pHat));
    // only the diagnostic field changes
    expect('pseudoLabelAccuracy' in none[1]!).toBe(false);
  });

  it.each(ALL)('%s leaks no tensor over fit + dispose (with LA at inference)', async (_n, make) => {
    const before = tf.memory().numTensors;
    await fit(make(FAST), { epochs: 2, test: TEST, inferenceTau: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('prepare makes the three views; disposing the step and the loss result frees everything', async () => {
    const recipe = recipes.udal(FAST);
    const classifier = model(0);
    const ctx = fakeContext(classifier, LABELED, { batchSize: 8, unlabeled: UNLABELED });
    const { state } = await recipe.setup(ctx);
    await recipe.beforeEpoch!(ctx, state);
    const before = tf.memory().numTensors;
    const data = sslBatches(LABELED, UNLABELED, { batchSize: 8, mu: 2, rng: createRng(0) }).next()
      .value!;
    const step = recipe.prepare!(ctx, state, { batch: data.labeled, unlabeled: data.unlabeled });
    expect(step.labeledWeak.shape).toEqual([8, SIDE, SIDE, 1]);
    expect(step.unlabeledWeak.shape).toEqual([16, SIDE, SIDE, 1]);
    expect(step.unlabeled.labels).toBeUndefined();
    expect(step.unlabeledStrong.shape).toEqual([16, SIDE, SIDE, 1]);
    const out = tf.tidy(
      () => recipe.loss(ctx, state, step) as unknown as tf.TensorContainer,
    ) as unknown as SslLossResult;
    expect(out.mask.shape).toEqual([16]);
    tf.dispose([step, out] as unknown as tf.TensorContainer);
    expect(tf.memory().numTensors).toBe(before);
    disposeState(state);
    classifier.dispose();
  });
});

// ---------------------------------------------------------------- the method's mechanics

describe('ssl recipes: schedule and target per epoch', () => {
  const history = async (make: Factory, options: Record<string, unknown>) =>
    (await fit(make({ ...FAST, epochSteps: 1, ...options }), { epochs: 4 })).history;
  // p_data of LABELED = [40, 16, 8] / 64 = [0.625, 0.25, 0.125]
  const pData = [0.625, 0.25, 0.125];

  it('udal: α_t = 1 − 0.9·(t/4)², t = 0, 1, 2, 3 and p̃ = normalize(p_data^α_t)', async () => {
    const h = await history(recipes.udal as Factory, {});
    // 1 − 0.9·0 = 1; 1 − 0.9/16 = 0.94375; 1 − 0.9/4 = 0.775; 1 − 0.9·9/16 = 0.49375
    expect(h.map((r) => r.alpha)).toEqual(
      [1, 0.94375, 0.775, 0.49375].map((a) => expect.closeTo(a, 12)),
    );
    // α = 0.775: [0.625^0.775, 0.25^0.775, 0.125^0.775] = [0.6947, 0.3415, 0.1995] / 1.2357
    expectArrayClose(h[2]!.target as number[], [0.56216, 0.27635, 0.16149], 1e-4);
    expectArrayClose(h[0]!.target as number[], pData, 1e-6); // α = 1: p̃ = p_data
    h.forEach((r, t) => {
      const a = alphaAt(0.1, 2, t, 4);
      expectArrayClose(r.target as number[], normalize(pData.map((p) => p ** a)), 1e-6);
    });
  });

  it('fixMatchDa: linear schedule from 1 to αMin = 0.5 by default (k = 1)', async () => {
    const h = await history(recipes.fixMatchDa as Factory, {});
    // 1 − 0.5·t/4
    expect(h.map((r) => r.alpha)).toEqual(
      [1, 0.875, 0.75, 0.625].map((a) => expect.closeTo(a, 12)),
    );
  });

  it('laSup: the target is fixed at α = αMin in every epoch (k = 0)', async () => {
    const h = await history(recipes.laSup as Factory, { alphaMin: 0.3 });
    expect(h.map((r) => r.alpha)).toEqual([0.3, 0.3, 0.3, 0.3].map((a) => expect.closeTo(a, 12)));
    const expected = normalize(pData.map((p) => p ** 0.3));
    for (const r of h) expectArrayClose(r.target as number[], expected, 1e-6);
  });

  it('udal: alphaMin and k are honoured (αMin = 0.5, k = 1)', async () => {
    const h = await history(recipes.udal as Factory, { alphaMin: 0.5, k: 1 });
    expect(h.map((r) => r.alpha)).toEqual(
      [1, 0.875, 0.75, 0.625].map((a) => expect.closeTo(a, 12)),
    );
  });
});

function expectArrayClose(actual: readonly number[], expected: readonly number[], tol: number) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => {
    if (Math.abs(v - expected[i]!) > tol)
      throw new Error(`element ${i}: expected ${expected[i]} ± ${tol}, got ${v} ([${actual}])`);
  });
}

describe('ssl recipes: losses on hand-made logits', () => {
  async function prepared(recipe: SslRecipe, train: Dataset, epoch: number, totalEpochs: number) {
    const ctx = fakeContext(identityClassifier(train.numClasses), train, { epoch, totalEpochs });
    const { state } = await recipe.setup(ctx);
    await recipe.beforeEpoch!(ctx, state);
    return { ctx, state };
  }

  it('udal: both branches adjusted, at t = 1 of T = 2 (α = 0.775)', async () => {
    const train = logitSet([0, 0, 0, 1], 2); // p_data = [0.75, 0.25]
    const recipe = recipes.udal();
    const { ctx, state } = await prepared(recipe, train, 1, 2);
    const step = logitStep(
      [[1, 0]],
      [0],
      [
        [4, 0],
        [0.5, 0],
      ],
      [
        [0, 1],
        [2, -1],
      ],
    );
    const { value: got, out } = lossOf(recipe, ctx, state, step);
    // α = 1 − 0.9·(1/2)² = 0.775; p̃ = normalize([0.75^0.775, 0.25^0.775]) = [0.70087, 0.29913]
    const pT = normalize([0.75 ** 0.775, 0.25 ** 0.775]);
    expectArrayClose(pT, [0.70087, 0.29913], 1e-5);
    const lossL = ce(0, add([1, 0], adjust([0.75, 0.25], pT)));
    // weak rows: softmax [4, 0] → max 0.982 ≥ 0.95 (kept, label 0); [0.5, 0] → 0.62 (masked)
    // p̂ = uniform [0.5, 0.5] at the first step
    const lossU = (1 * ce(0, add([0, 1], adjust([0.5, 0.5], pT))) + 0) / 2;
    expect(got).toBeCloseTo(lossL + lossU, 5);
    expect(Array.from(out.mask!.dataSync())).toEqual([1, 0]);
    tf.dispose([step, out] as unknown as tf.TensorContainer);
    disposeState(state);
  });

  it('udal: pseudo-labels come from the unadjusted weak logits', async () => {
    // p_data = [0.99, 0.01]; at t = 0, p̃ = p_data and p̂ = [0.5, 0.5], so the unlabeled
    // adjustment is log(0.5/0.99), log(0.5/0.01) = [−0.683, 3.912]. Weak logits [4, 0]:
    // unadjusted argmax 0 with confidence 0.982 (kept); adjusted [3.317, 3.912] would give
    // argmax 1 with confidence 0.644 (masked out).
    const train = logitSet([...new Array<number>(99).fill(0), 1], 2);
    const recipe = recipes.udal();
    const { ctx, state } = await prepared(recipe, train, 0, 10);
    const step = logitStep([[0, 0]], [0], [[4, 0]], [[0, 0]]);
    const { value: got, out } = lossOf(recipe, ctx, state, step);
    expect(Array.from(out.pseudoLabels!.dataSync())).toEqual([0]);
    expect(Array.from(out.mask!.dataSync())).toEqual([1]);
    const adjU = adjust([0.5, 0.5], [0.99, 0.01]);
    expectArrayClose(adjU, [-0.6832, 3.912], 1e-3);
    // labeled adjustment at α = 1 is log(p_data/p_data) = 0
    const expected = ce(0, [0, 0]) + ce(0, add([0, 0], adjU));
    expect(got).toBeCloseTo(expected, 4); // ≈ 0.693 + 4.605; adjusted labels would give 0.693
    tf.dispose([step, out] as unknown as tf.TensorContainer);
    disposeState(state);
  });

  it('fixMatch: CE + λ_u·mean(mask·CE) over all μB unlabeled rows, no adjustment', async () => {
    const train = logitSet([0, 0, 0, 1], 2);
    const recipe = recipes.fixMatch({ lambdaU: 2, threshold: 0.9 });
    const { ctx, state } = await prepared(recipe, train, 0, 1);
    const step = logitStep(
      [
        [1, 0],
        [0, 2],
      ],
      [1, 1],
      [
        [3, 0],
        [0, 2.5],
        [0.2, 0],
      ],
      [
        [1, 1],
        [0, 0.5],
        [5, 0],
      ],
    );
    const { value: got, out } = lossOf(recipe, ctx, state, step);
    // confidences 0.953, 0.924, 0.550 → mask [1, 1, 0] at τ = 0.9; labels [0, 1, 0]
    const lossL = (ce(1, [1, 0]) + ce(1, [0, 2])) / 2;
    const lossU = (ce(0, [1, 1]) + ce(1, [0, 0.5]) + 0) / 3;
    expect(got).toBeCloseTo(lossL + 2 * lossU, 5);
    expect(Array.from(out.mask!.dataSync())).toEqual([1, 1, 0]);
    tf.dispose([step, out] as unknown as tf.TensorContainer);
    disposeState(state);
  });

  it('fixMatchDa: pseudo-labels and mask from normalize(q · p̃/p̂)', async () => {
    // p_data = [0.25, 0.75] = p̃ at t = 0; p̂ = [0.5, 0.5].
    // row [5, 0]: q = [0.99331, 0.00669] → q̃ ∝ [0.49665, 0.01004] → max 0.980 (kept, 0)
    // row [3.2, 0]: q = [0.96083, 0.03917] → q̃ ∝ [0.48041, 0.05876] → max 0.891 (masked),
    // although plain FixMatch keeps it (0.961 ≥ 0.95).
    const train = logitSet([0, 1, 1, 1], 2);
    const step = () =>
      logitStep(
        [[0, 0]],
        [0],
        [
          [5, 0],
          [3.2, 0],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      );
    const da = recipes.fixMatchDa();
    const { ctx: ctxDa, state: stDa } = await prepared(da, train, 0, 4);
    const s1 = step();
    const { value: gotDa, out: o1 } = lossOf(da, ctxDa, stDa, s1);
    expect(Array.from(o1.mask.dataSync())).toEqual([1, 0]);
    const q2 = normalize(
      softmax([3.2, 0]).map((q, i) => (q * ([0.25, 0.75][i]! + 1e-9)) / (0.5 + 1e-9)),
    );
    expect(Math.max(...q2)).toBeCloseTo(0.891, 3);
    expect(gotDa).toBeCloseTo(ce(0, [0, 0]) + ce(0, [1, 0]) / 2, 5);
    const fm = recipes.fixMatch();
    const { ctx: ctxFm, state: stFm } = await prepared(fm, train, 0, 4);
    const s2 = step();
    const { value: gotFm, out: o2 } = lossOf(fm, ctxFm, stFm, s2);
    expect(Array.from(o2.mask.dataSync())).toEqual([1, 1]);
    expect(gotFm).toBeCloseTo(ce(0, [0, 0]) + (ce(0, [1, 0]) + ce(0, [0, 1])) / 2, 5);
    tf.dispose([s1, s2, o1, o2] as unknown as tf.TensorContainer);
    disposeState(stDa);
    disposeState(stFm);
  });

  it('laSup: labeled branch adjusted towards the fixed target, unlabeled branch plain', async () => {
    const train = logitSet([0, 0, 0, 1], 2); // p_data = [0.75, 0.25]
    const recipe = recipes.laSup(); // αMin = 0.1
    const { ctx, state } = await prepared(recipe, train, 0, 5); // t = 0, yet α = αMin (k = 0)
    const step = logitStep([[1, 0]], [1], [[4, 0]], [[0, 2]]);
    const { value: got, out } = lossOf(recipe, ctx, state, step);
    const pT = normalize([0.75 ** 0.1, 0.25 ** 0.1]);
    const expected = ce(1, add([1, 0], adjust([0.75, 0.25], pT))) + ce(0, [0, 2]);
    expect(got).toBeCloseTo(expected, 5);
    tf.dispose([step, out] as unknown as tf.TensorContainer);
    disposeState(state);
  });

  it('udal: p̂ ← 0.999·p̂ + 0.001·mean softmax(weak) after every step; the loss uses the previous p̂', async () => {
    const train = logitSet([0, 0, 0, 1], 2);
    const recipe = recipes.udal();
    const { ctx, state } = await prepared(recipe, train, 0, 1); // α = 1: p̃ = p_data
    const w1 = [
      [2, 0],
      [0, 1],
    ];
    const s1 = logitStep([[0, 0]], [0], w1, [
      [0, 0],
      [0, 0],
    ]);
    const r1 = lossOf(recipe, ctx, state, s1);
    await recipe.afterStep!(ctx, state, s1, r1.out);
    const mean1 = [0, 1].map((c) => (softmax(w1[0]!)[c]! + softmax(w1[1]!)[c]!) / 2);
    const p1 = [0, 1].map((c) => 0.999 * 0.5 + 0.001 * mean1[c]!);
    // second step: its unlabeled adjustment uses p1
    const s2 = logitStep(
      [[0, 0]],
      [0],
      [
        [5, 0],
        [0, 0],
      ],
      [
        [1, 0],
        [0, 0],
      ],
    );
    const r2 = lossOf(recipe, ctx, state, s2);
    const expected = ce(0, [0, 0]) + ce(0, add([1, 0], adjust(p1, [0.75, 0.25]))) / 2;
    expect(r2.value).toBeCloseTo(expected, 5);
    await recipe.afterStep!(ctx, state, s2, r2.out);
    const mean2 = [0, 1].map((c) => (softmax([5, 0])[c]! + 0.5) / 2);
    const p2 = [0, 1].map((c) => 0.999 * p1[c]! + 0.001 * mean2[c]!);
    const record = (await recipe.afterEpoch!(ctx, state)) as Record<string, unknown>;
    expectArrayClose(record.pHat as number[], p2, 1e-6);
    // diagnostics: 1 of 4 unlabeled rows above 0.95 ([5, 0]); its pseudo-label 0 is the hidden label
    expect(record.maskRate).toBe(0.25);
    expect(record.pseudoLabelAccuracy).toBe(1);
    tf.dispose([s1, s2, r1.out, r2.out] as unknown as tf.TensorContainer);
    disposeState(state);
  });
});

describe('ssl recipes: EMA of the weights at evaluation', () => {
  async function emaTrail(options: Record<string, unknown>) {
    const w = tf.variable(tf.tensor1d([0]));
    const classifier = identityClassifier(2, w);
    const train = logitSet([0, 1], 2);
    const recipe = recipes.fixMatch(options);
    const ctx = fakeContext(classifier, train);
    const { state } = await recipe.setup(ctx);
    const seen: number[] = [];
    for (const value of [1, 3]) {
      w.assign(tf.tensor1d([value]));
      const step = logitStep([[0, 0]], [0], [[0, 0]], [[0, 0]]);
      const { out } = lossOf(recipe, ctx, state, step);
      await recipe.afterStep!(ctx, state, step, out);
      tf.dispose([step, out] as unknown as tf.TensorContainer);
    }
    const inside = await recipe.withEvaluationWeights!(ctx, state, async () => w.dataSync()[0]!);
    seen.push(inside, w.dataSync()[0]!);
    disposeState(state);
    classifier.dispose();
    return seen;
  }

  it('evaluates with the EMA (decay 0.999, warm-up off) and restores the training weights', async () => {
    // ema: 0 → 0.999·0 + 0.001·1 = 0.001 → 0.999·0.001 + 0.001·3 = 0.003999
    const [inside, after] = await emaTrail({ emaWarmup: false });
    expect(inside).toBeCloseTo(0.003999, 7);
    expect(after).toBe(3);
  });

  it('with the default warm-up the decay is min(0.999, (1 + t)/(10 + t))', async () => {
    // t = 0: d = 0.1 → 0.1·0 + 0.9·1 = 0.9; t = 1: d = 2/11 → (2/11)·0.9 + (9/11)·3 = 2.61818
    const [inside, after] = await emaTrail({});
    expect(inside).toBeCloseTo(2.618182, 5);
    expect(after).toBe(3);
  });

  it('the trainer evaluates through the EMA: decay 1 keeps the initial (untrained) weights', async () => {
    const acc = async (emaDecay: number) => {
      const { final } = await fit(recipes.fixMatch({ ...FAST, emaDecay, emaWarmup: false }), {
        epochs: 4,
        test: TEST,
      });
      return final?.task === 'single-label' ? final.accuracy : Number.NaN;
    };
    const frozen = await acc(1);
    const current = await acc(0); // decay 0: the EMA is the current weights
    expect(current).toBeGreaterThan(0.9);
    expect(frozen).toBeLessThan(current - 0.3);
  });
});

// ---------------------------------------------------------------- bad input

describe('ssl recipes: bad input', () => {
  it('the trainer refuses a run without `unlabeled`; the recipe refuses it as an option', () => {
    for (const [name, make] of ALL) {
      expectTailwiseError(
        () =>
          new Trainer({
            model,
            recipe: make({}),
            train: LABELED,
            epochs: 1,
            batchSize: 8,
            seed: 0,
          }),
        'INVALID_VALUE',
        new RegExp(
          `^Trainer: expected \`unlabeled\` to be an unlabeled dataset \\(recipe '${name}' trains on one`,
        ),
      );
      expectTailwiseError(
        () => make({ unlabeled: UNLABELED }),
        'INVALID_OPTION',
        new RegExp(`^${name}: expected \`unlabeled\` to be one of the known options`),
      );
    }
  });

  it('refuses αMin outside [0, 1] and k < 0', () => {
    expectTailwiseError(
      () => recipes.udal({ alphaMin: 1.5 }),
      'INVALID_OPTION',
      'udal: expected `alphaMin` to be a number in [0, 1], got 1.5',
    );
    expectTailwiseError(() => recipes.udal({ alphaMin: -0.1 }), 'INVALID_OPTION', /alphaMin/);
    expectTailwiseError(
      () => recipes.udal({ k: -1 }),
      'INVALID_OPTION',
      'udal: expected `k` to be a number >= 0, got -1',
    );
    expectTailwiseError(
      () => recipes.fixMatchDa({ alphaMin: 2 }),
      'INVALID_OPTION',
      /fixMatchDa: expected `alphaMin`/,
    );
    expectTailwiseError(
      () => recipes.laSup({ alphaMin: Number.NaN }),
      'INVALID_OPTION',
      /laSup: expected `alphaMin` to be a number in \[0, 1\], got NaN/,
    );
  });

  it('refuses unknown options (laSup has no k, fixMatch no schedule) and bad shared options', () => {
    expectTailwiseError(
      () => recipes.laSup({ k: 2 } as never),
      'INVALID_OPTION',
      /laSup: expected `k` to be one of the known options/,
    );
    expectTailwiseError(
      () => recipes.fixMatch({ alphaMin: 0.1 } as never),
      'INVALID_OPTION',
      /fixMatch: expected `alphaMin` to be one of the known options/,
    );
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ mu: 0 }, /`mu` to be an integer >= 1, got 0/],
      [{ mu: 2.5 }, /`mu`/],
      [{ threshold: 1.2 }, /`threshold` to be a number in \[0, 1\], got 1.2/],
      [{ lambdaU: -1 }, /`lambdaU`/],
      [{ emaDecay: 2 }, /`emaDecay`/],
      [{ epochSteps: -1 }, /`epochSteps`/],
      [{ flip: 'yes' }, /`flip` to be a boolean/],
      [{ translate: 0.7 }, /`translate`/],
      [{ cutout: 2 }, /`cutout`/],
    ];
    for (const [options, message] of bad)
      expectTailwiseError(() => recipes.fixMatch({ ...options }), 'INVALID_OPTION', message);
  });

  it('refuses a labeled set with a class that has no example (p_data with a zero)', async () => {
    const missing = squares([40, 16, 0], 1, 'no-class-2');
    for (const make of [recipes.udal, recipes.laSup, recipes.fixMatchDa] as Factory[]) {
      await expectTailwiseErrorAsync(
        () => fit(make(FAST), { train: missing }),
        'NOT_A_DISTRIBUTION',
        /expected `train` to be a labeled set with at least one example of every class \(p_data > 0\), got class 2 with none/,
      );
    }
  });

  it('refuses a batch larger than the labeled set, mismatched or non-image data', async () => {
    await expectTailwiseErrorAsync(
      async () => {
        const t = new Trainer({
          model,
          recipe: recipes.udal(FAST),
          train: LABELED,
          unlabeled: UNLABELED,
          epochs: 1,
          batchSize: 65,
          seed: 0,
          progress: false,
        });
        try {
          await t.fit();
        } finally {
          t.dispose();
        }
      },
      'INVALID_OPTION',
      /udal: expected `batchSize` to be at most the labeled set's size \(64\)/,
    );
    const other = { ...squares([4, 4, 4], 9), inputShape: [4, 16, 1] };
    await expectTailwiseErrorAsync(
      () => fit(recipes.fixMatch(FAST), { unlabeled: other }),
      'SHAPE_MISMATCH',
      // The Trainer refuses it at construction, before the recipe's own check.
      /Trainer: expected `unlabeled.inputShape` to be \[8, 8, 1\] \(as the training set\), got \[4, 16, 1\]/,
    );
    const flat = (d: Dataset): Dataset => ({ ...d, inputShape: [64] });
    const onFlat = (views: 'none' | 'image') =>
      new Trainer({
        model: (seed) => mlp({ inputShape: [64], numClasses: 3, seed, hidden: [8] }),
        recipe: recipes.fixMatch({ ...FAST, views }),
        train: flat(LABELED),
        unlabeled: flat(UNLABELED),
        epochs: 1,
        batchSize: 8,
        seed: 0,
        progress: false,
      });
    // Feature vectors train with views of their own ('none' here); image views refuse them.
    const ok = onFlat('none');
    expect((await ok.fit()).history.every((h) => Number.isFinite(h.loss))).toBe(true);
    ok.dispose();
    const bad = onFlat('image');
    await expectTailwiseErrorAsync(
      () => bad.fit(),
      'SHAPE_MISMATCH',
      /fixMatch: expected `views` to be inputs of shape \[H, W, 1\] or \[H, W, 3\] for 'image' views/,
    );
    bad.dispose();
  });

  it('a labeled fraction outside (0, 1) is refused where the split is made', () => {
    for (const labeledFraction of [0, 1, 1.5, -0.1]) {
      expectTailwiseError(
        () => semiSupervisedSplit(LABELED, { labeledFraction, rng: createRng(0) }),
        'INVALID_OPTION',
        /semiSupervisedSplit: expected `labeledFraction` to be a number in \(0, 1\)/,
      );
    }
  });

  it('its options never hold the unlabeled dataset (the trainer has it)', () => {
    const r = recipes.udal(FAST) as { options: Record<string, unknown> };
    expect('unlabeled' in r.options).toBe(false);
    expect(r.options.alphaMin).toBe(0.1);
    expect(r.options.k).toBe(2);
    expect(r.options.mu).toBe(2);
    const la = recipes.laSup(FAST) as { options: Record<string, unknown> };
    expect(la.options.k).toBe(0);
  });
});
