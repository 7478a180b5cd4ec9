// Property tests for numerical edge cases (docs/reliability.md): logits of ±1e4, probabilities of
// exactly 0 and 1, batches of one. Every output and every gradient must be finite, and valid
// inputs at the edge (a prior with a zero entry) must give finite, correct results.
import { setValidation } from '@tailwise/core';
import {
  asymmetricLoss,
  binaryCrossEntropy,
  binaryFocalLoss,
  bootstrapLoss,
  ccLoss,
  crossEntropy,
  generalizedCrossEntropy,
  jensenShannonLoss,
  logitAdjustedCrossEntropy,
  softmaxFocalLoss,
  symmetricCrossEntropy,
} from '@tailwise/losses';
import { argmaxDistribution, EmaPrior, logitAdjustment, meanDistribution } from '@tailwise/priors';
import {
  distributionAlignment,
  fixMatchPseudoLabels,
  plrPseudoLabels,
  prodenPseudoLabels,
  selectSmallLoss,
  sinkhornPseudoLabels,
} from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

/** Runs per property; the totals are reported in docs/reliability.md. */
export const RUNS = 40;

beforeAll(() => setValidation('values'));

/** A logit: ±1e4 (saturating softmax/sigmoid to exactly 0 and 1), 0, or a moderate value. */
const logit = fc.oneof(
  fc.constantFrom(1e4, -1e4, 0),
  fc.float({ min: -20, max: 20, noNaN: true, noDefaultInfinity: true }),
);

/** A batch: B in 1..4 (1 is the edge), C in 2..5, logits, class labels and a candidate matrix. */
const batch = fc
  .record({ b: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 2, max: 5 }) })
  .chain(({ b, c }) =>
    fc.record({
      b: fc.constant(b),
      c: fc.constant(c),
      logits: fc.array(fc.array(logit, { minLength: c, maxLength: c }), {
        minLength: b,
        maxLength: b,
      }),
      labels: fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: b, maxLength: b }),
      multi: fc.array(fc.array(fc.constantFrom(0, 1), { minLength: c, maxLength: c }), {
        minLength: b,
        maxLength: b,
      }),
      extra: fc.array(fc.array(fc.boolean(), { minLength: c, maxLength: c }), {
        minLength: b,
        maxLength: b,
      }),
    }),
  );
type Batch = typeof batch extends fc.Arbitrary<infer T> ? T : never;

function candidatesOf(x: Batch): number[][] {
  return x.extra.map((row, i) => row.map((on, j) => (on || j === x.labels[i] ? 1 : 0)));
}

function allFinite(t: tf.Tensor): boolean {
  return Array.from(t.dataSync()).every(Number.isFinite);
}

/** Loss value and gradient w.r.t. the logits, both finite; nothing leaks. */
function expectFiniteLossAndGradient(
  loss: (logits: tf.Tensor) => tf.Scalar,
  logits: number[][],
): void {
  const before = tf.memory().numTensors;
  const x = tf.tensor2d(logits);
  const { value, grad } = tf.tidy(() => {
    const g = tf.valueAndGrad(loss);
    const r = g(x);
    return { value: r.value, grad: r.grad };
  });
  try {
    expect(
      allFinite(value),
      `loss ${value.dataSync()[0]} for logits ${JSON.stringify(logits)}`,
    ).toBe(true);
    expect(allFinite(grad), `gradient for logits ${JSON.stringify(logits)}`).toBe(true);
  } finally {
    tf.dispose([x, value, grad]);
  }
  expect(tf.memory().numTensors).toBe(before);
}

type LossCase = [string, (x: Batch, logits: tf.Tensor) => tf.Scalar];
const losses: LossCase[] = [
  ['crossEntropy', (x, l) => crossEntropy(x.labels, l)],
  [
    'crossEntropy (label smoothing 0.1)',
    (x, l) => crossEntropy(x.labels, l, { labelSmoothing: 0.1 }),
  ],
  ['softmaxFocalLoss', (x, l) => softmaxFocalLoss(x.labels, l)],
  ['generalizedCrossEntropy', (x, l) => generalizedCrossEntropy(x.labels, l)],
  ['symmetricCrossEntropy', (x, l) => symmetricCrossEntropy(x.labels, l)],
  ['bootstrapLoss (soft)', (x, l) => bootstrapLoss(x.labels, l)],
  ['bootstrapLoss (hard)', (x, l) => bootstrapLoss(x.labels, l, { mode: 'hard' })],
  ['jensenShannonLoss', (x, l) => jensenShannonLoss(x.labels, l)],
  [
    'logitAdjustedCrossEntropy',
    (x, l) =>
      logitAdjustedCrossEntropy(x.labels, l, { adjustment: tf.fill([x.c], -Math.log(x.c)) }),
  ],
  ['binaryCrossEntropy', (x, l) => binaryCrossEntropy(x.multi, l)],
  [
    'binaryCrossEntropy (label smoothing 0.1)',
    (x, l) => binaryCrossEntropy(x.multi, l, { labelSmoothing: 0.1 }),
  ],
  ['binaryFocalLoss', (x, l) => binaryFocalLoss(x.multi, l)],
  ['asymmetricLoss', (x, l) => asymmetricLoss(x.multi, l)],
  ['ccLoss', (x, l) => ccLoss(candidatesOf(x), l)],
];

describe('losses: finite value and gradient for logits ±1e4, saturated probabilities, batch of 1', () => {
  for (const [name, loss] of losses) {
    it(name, () => {
      fc.assert(
        fc.property(batch, (x) => {
          expectFiniteLossAndGradient((l) => loss(x, l), x.logits);
        }),
        { numRuns: RUNS, seed: 11 },
      );
    });
  }
});

/** Rows of a [B, C] result sum to 1, are finite and are 0 outside the candidates. */
function expectTargetRows(t: tf.Tensor, candidates?: number[][]): void {
  const [b, c] = t.shape as [number, number];
  const v = t.dataSync();
  for (let i = 0; i < b; i++) {
    let sum = 0;
    for (let j = 0; j < c; j++) {
      const w = v[i * c + j]!;
      expect(Number.isFinite(w)).toBe(true);
      if (candidates && candidates[i]![j] === 0) expect(w).toBe(0);
      sum += w;
    }
    expect(Math.abs(sum - 1)).toBeLessThan(1e-4);
  }
}

describe('pseudo-label rules at the edges', () => {
  it('prodenPseudoLabels / plrPseudoLabels / sinkhornPseudoLabels: finite rows summing to 1', () => {
    fc.assert(
      fc.property(batch, (x) => {
        const s = candidatesOf(x);
        const prior = new Array(x.c).fill(1 / x.c);
        for (const make of [
          () => prodenPseudoLabels(s, x.logits),
          () => plrPseudoLabels(s, x.logits, prior),
          () => sinkhornPseudoLabels(s, x.logits, prior, { iterations: 10 }),
        ]) {
          const before = tf.memory().numTensors;
          const w = make();
          expect(tf.memory().numTensors - before).toBe(1);
          expectTargetRows(w, s);
          w.dispose();
        }
      }),
      { numRuns: RUNS, seed: 12 },
    );
  });

  it('plrPseudoLabels with a prior holding a zero entry: finite, and the zero-prior candidate dominates (r^−M)', () => {
    // Row 0 has candidates {0, 1}; class 1 has prior 0, so r^−M is huge there and w → e_1.
    const w = plrPseudoLabels(
      [
        [1, 1, 0],
        [1, 0, 1],
      ],
      [
        [2, 0, 0],
        [0, 1, 3],
      ],
      [0.6, 0, 0.4],
    );
    const v = Array.from(w.dataSync());
    expect(v.every(Number.isFinite)).toBe(true);
    expect(v[1]).toBeGreaterThan(0.999);
    expect(v[0]).toBeLessThan(1e-3);
    // Row 1 has no zero-prior candidate: exactly eq. 5 with λ = 3, M = 2.
    const a = Math.exp(3 * 0) / 0.6 ** 2;
    const b = Math.exp(3 * 3) / 0.4 ** 2;
    expect(v[3]).toBeCloseTo(a / (a + b), 5);
    expect(v[5]).toBeCloseTo(b / (a + b), 5);
    w.dispose();
  });

  it('sinkhornPseudoLabels with a prior holding a zero entry stays finite', () => {
    const w = sinkhornPseudoLabels(
      [
        [1, 1, 0],
        [1, 0, 1],
        [0, 1, 1],
      ],
      [
        [2, 0, 0],
        [0, 1, 3],
        [1, 1, 1],
      ],
      [0.6, 0, 0.4],
    );
    expectTargetRows(w, [
      [1, 1, 0],
      [1, 0, 1],
      [0, 1, 1],
    ]);
    w.dispose();
  });

  it('selectSmallLoss and fixMatchPseudoLabels: valid outputs for saturated logits', () => {
    fc.assert(
      fc.property(batch, (x) => {
        const out = tf.tidy(() => {
          const w = tf.softmax(tf.tensor2d(x.logits));
          const keep = selectSmallLoss(w, x.logits, { rho: 0.5 });
          const fm = fixMatchPseudoLabels(x.logits, { threshold: 0.95 });
          return [keep, fm.labels, fm.mask, fm.confidence];
        });
        const [keep, labels, mask, confidence] = out as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        expect(Array.from(keep.dataSync()).every((v) => v === 0 || v === 1)).toBe(true);
        expect(Array.from(keep.dataSync()).some((v) => v === 1)).toBe(true);
        expect(Array.from(labels.dataSync()).every((v) => v >= 0 && v < x.c)).toBe(true);
        expect(Array.from(mask.dataSync()).every((v) => v === 0 || v === 1)).toBe(true);
        expect(Array.from(confidence.dataSync()).every((v) => v >= 1 / x.c - 1e-6 && v <= 1)).toBe(
          true,
        );
        tf.dispose(out);
      }),
      { numRuns: RUNS, seed: 13 },
    );
  });

  it('distributionAlignment with one-hot probabilities and a zero in `from`: finite rows summing to 1', () => {
    fc.assert(
      fc.property(batch, (x) => {
        const probs = x.labels.map((y) => Array.from({ length: x.c }, (_, j) => (j === y ? 1 : 0)));
        const from = Array.from({ length: x.c }, (_, j) => (j === 0 ? 1 : 0));
        const to = new Array(x.c).fill(1 / x.c);
        const q = distributionAlignment(probs, { from, to });
        expectTargetRows(q);
        q.dispose();
      }),
      { numRuns: RUNS, seed: 14 },
    );
  });
});

describe('priors at the edges', () => {
  it('meanDistribution / argmaxDistribution / EmaPrior / logitAdjustment on one-hot probabilities', () => {
    fc.assert(
      fc.property(batch, (x) => {
        const probs = x.labels.map((y) => Array.from({ length: x.c }, (_, j) => (j === y ? 1 : 0)));
        const mean = meanDistribution(probs);
        const arg = argmaxDistribution(probs, candidatesOf(x));
        const prior = new EmaPrior({ numClasses: x.c, momentum: 0.5 });
        prior.update(mean);
        const adj = logitAdjustment(prior.value, new Array(x.c).fill(1 / x.c));
        for (const t of [mean, arg, prior.value]) {
          const v = Array.from(t.dataSync());
          expect(v.every(Number.isFinite)).toBe(true);
          expect(Math.abs(v.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
        }
        expect(allFinite(adj)).toBe(true);
        tf.dispose([mean, arg, adj]);
        prior.dispose();
      }),
      { numRuns: RUNS, seed: 15 },
    );
  });
});

/** Number of property runs in this file (for docs/reliability.md). */
export const propertyRuns = () => (losses.length + 4) * RUNS;
