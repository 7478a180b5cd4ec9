import { withValidation } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  expectTensor,
  gradientCheck,
} from '../../../test/helpers';
import { partialAnnotationD, partialAnnotationLoss, validateMultiLabelState } from '../src/index';

const LN2 = Math.LN2;
const LN3 = Math.log(3);
const LN19 = Math.log(19); // σ(−ln 19) = 0.05

// Row 0: no known positive; known negatives at σ = 0.5 and 0.75; one selected unknown (ỹ = 0.5).
// Row 1: no known entry at all; two selected unknowns.
// Row 2: every prediction is 0.05 ≤ 0.1 (p = 2); its unknown entry is not selected (Q empty).
const STATE = [
  [0, 0, -1],
  [-1, -1, -1],
  [1, 0, -1],
];
const LOGITS = [
  [0, LN3, 0],
  [LN3, -LN3, 0],
  [-LN19, -LN19, -LN19],
];
const PSEUDO = [
  [0.9, 0.9, 0.5], // known entries' pseudo-labels are never read
  [0.25, 0.75, 1],
  [0.3, 0.3, 0.2],
];
const SELECTED = [
  [0, 0, 1],
  [1, 1, 0],
  [0, 0, 0],
];

// Batch: P = 1 known positive, T = 4 known entries -> β = max(1/4, 0.05) = 0.25, α = 0.75.
// Row 0: posE = 0 (no positive), negE = (ln .5 + ln .25)/2 = −1.5 ln 2; posQ = negQ = 0.5·ln .5.
// Row 1: posE = negE = 0; posQ = (0.25 ln .75 + 0.75 ln .25)/2 = negQ (ỹ and ŷ are mirrored).
// Row 2: posE = ln(.05)/2, negE = ln(.95)/2, posQ = negQ = 0, p = 2.
const Q1 = (0.25 * Math.log(0.75) + 0.75 * Math.log(0.25)) / 2; // −0.5558206
function rows(alpha: number, beta: number, d: number): number[] {
  const l0 = -(alpha * (0 + d * (-LN2 / 2)) + beta * (-1.5 * LN2 + d * (-LN2 / 2)));
  const l1 = -(alpha * d * Q1 + beta * d * Q1);
  const l2 = -2 * (alpha * (Math.log(0.05) / 2) + beta * (Math.log(0.95) / 2));
  return [l0, l1, l2];
}
const opts = { epoch: 7, totalEpochs: 10, m: 3, selected: SELECTED }; // d = exp(10/10 − 1) = 1

describe('partialAnnotationD', () => {
  it('is exp((e + m)/E − 1): 1 at epoch E − m, below before, above after', () => {
    expect(partialAnnotationD(7, 10, 3)).toBeCloseTo(1, 12);
    expect(partialAnnotationD(2, 10, 3)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(partialAnnotationD(10, 10, 3)).toBeCloseTo(Math.exp(0.3), 12);
    expect(partialAnnotationD(6, 10)).toBeLessThan(1);
    expect(partialAnnotationD(8, 10)).toBeGreaterThan(1);
  });
});

describe('partialAnnotationLoss', () => {
  it('hand-computed per-sample values: no known entry, p = 2, empty selected set', () => {
    const expected = rows(0.75, 0.25, 1); // [0.6065038, 0.5558206, 2.2596225]
    expectClose(expected, [0.6065038, 0.5558206, 2.2596225], 1e-6);
    expectTensor(
      () => partialAnnotationLoss(STATE, PSEUDO, LOGITS, { ...opts, reduction: 'none' }),
      expected,
    );
    expectTensor(() => partialAnnotationLoss(STATE, PSEUDO, LOGITS, opts), 1.140649);
    expectTensor(
      () => partialAnnotationLoss(STATE, PSEUDO, LOGITS, { ...opts, reduction: 'sum' }),
      3.421947,
    );
  });

  it('d scales only the selected unknown entries (epoch 2 of 10: d = e^−0.5)', () => {
    const expected = rows(0.75, 0.25, Math.exp(-0.5)); // [0.4701377, 0.3371223, 2.2596225]
    expectTensor(
      () => partialAnnotationLoss(STATE, PSEUDO, LOGITS, { ...opts, epoch: 2, reduction: 'none' }),
      expected,
    );
  });

  it('a batch with no known positive gets β = γ = 0.05, α = 0.95', () => {
    // Rows 0 and 1 only: P = 0, T = 2.
    // Row 0: −[0.95·(−ln2/2) + 0.05·(−1.5 ln 2 − ln 2/2)] = 0.3985596; row 1: −Q1 = 0.5558206.
    expectTensor(
      () =>
        partialAnnotationLoss(STATE.slice(0, 2), PSEUDO.slice(0, 2), LOGITS.slice(0, 2), {
          ...opts,
          selected: SELECTED.slice(0, 2),
          reduction: 'none',
        }),
      [0.3985596, 0.5558206],
    );
    // γ = 0.2 moves β to 0.2 (α = 0.8): row 0 = 0.8·ln2/2 + 0.2·2 ln 2.
    expectTensor(
      () =>
        partialAnnotationLoss(STATE.slice(0, 1), PSEUDO.slice(0, 1), LOGITS.slice(0, 1), {
          ...opts,
          gamma: 0.2,
          selected: SELECTED.slice(0, 1),
        }),
      0.8 * (LN2 / 2) + 0.2 * 2 * LN2,
    );
  });

  it("betaFrom 'all' divides the known positives by B·C", () => {
    // P = 1, T = 9: β = 1/9, α = 8/9.
    expectTensor(
      () =>
        partialAnnotationLoss(STATE, PSEUDO, LOGITS, {
          ...opts,
          betaFrom: 'all',
          reduction: 'none',
        }),
      rows(8 / 9, 1 / 9, 1),
    );
  });

  it('a sample with nothing known and nothing selected contributes 0 (counted in the mean)', () => {
    expectTensor(
      () =>
        partialAnnotationLoss([[-1, -1]], [[0.5, 0.5]], [[3, -2]], {
          ...opts,
          selected: [[0, 0]],
          reduction: 'none',
        }),
      [0],
    );
    // Without `selected` every unknown entry counts (q = 1).
    expectTensor(
      () =>
        partialAnnotationLoss([[-1, -1]], [[0.5, 0.5]], [[0, 0]], { epoch: 7, totalEpochs: 10 }),
      // β = γ (T = 0): α·0.5·ln 2 + β·0.5·ln 2 = 0.5 ln 2
      0.5 * LN2,
    );
  });

  it('a 1 in `selected` on a known entry is ignored', () => {
    const everything = [
      [1, 1, 1],
      [1, 1, 0],
      [1, 1, 0],
    ];
    expectTensor(
      () =>
        partialAnnotationLoss(STATE, PSEUDO, LOGITS, {
          ...opts,
          selected: everything,
          reduction: 'none',
        }),
      rows(0.75, 0.25, 1),
    );
  });

  it('equals an independent per-element implementation (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 10 }),
        fc.nat(1000),
        (b, c, epoch, seed) => {
          let s = seed + 1;
          const rand = () => {
            s = (s * 16807) % 2147483647;
            return s / 2147483647;
          };
          const z = Array.from({ length: b }, () =>
            Array.from({ length: c }, () => [1, 0, -1][Math.floor(rand() * 3)]!),
          );
          const x = z.map((r) => r.map(() => (rand() - 0.5) * 8));
          const yt = z.map((r) => r.map(() => rand()));
          const sel = z.map((r) => r.map(() => (rand() < 0.5 ? 1 : 0)));
          const total = 10;
          // reference
          let P = 0;
          let T = 0;
          for (const r of z)
            for (const v of r) {
              if (v === 1) P++;
              if (v !== -1) T++;
            }
          const beta = Math.max(T === 0 ? 0 : P / T, 0.05);
          const alpha = 1 - beta;
          const d = Math.exp((epoch + 3) / total - 1);
          const sig = (v: number) => 1 / (1 + Math.exp(-v));
          const expected = z.map((r, i) => {
            let pe = 0;
            let ne = 0;
            let pq = 0;
            let nq = 0;
            let nE = 0;
            let nQ = 0;
            let allLow = true;
            r.forEach((v, j) => {
              const yh = sig(x[i]![j]!);
              if (yh > 0.1) allLow = false;
              if (v !== -1) {
                nE++;
                pe += v * Math.log(yh);
                ne += (1 - v) * Math.log(1 - yh);
              } else if (sel[i]![j] === 1) {
                nQ++;
                pq += yt[i]![j]! * Math.log(yh);
                nq += (1 - yt[i]![j]!) * Math.log(1 - yh);
              }
            });
            const mE = (v: number) => (nE === 0 ? 0 : v / nE);
            const mQ = (v: number) => (nQ === 0 ? 0 : v / nQ);
            const p = allLow ? 2 : 1;
            return -p * (alpha * (mE(pe) + d * mQ(pq)) + beta * (mE(ne) + d * mQ(nq)));
          });
          const out = partialAnnotationLoss(z, yt, x, {
            epoch,
            totalEpochs: total,
            selected: sel,
            reduction: 'none',
          });
          expectClose(out, expected, 1e-4);
          out.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is finite for logits of ±1e4, with finite gradients', () => {
    const x = tf.tensor2d([
      [1e4, -1e4, 1e4],
      [-1e4, 1e4, -1e4],
    ]);
    const z = [
      [0, 1, -1],
      [1, 0, -1],
    ];
    const yt = [
      [0, 0, 1],
      [0, 0, 0],
    ];
    const f = (l: tf.Tensor) => partialAnnotationLoss(z, yt, l, { epoch: 7, totalEpochs: 10 });
    const v = f(x);
    // ln σ(−1e4) ≈ −1e4: every term is a finite multiple of 1e4.
    expect(Number.isFinite(v.dataSync()[0]!)).toBe(true);
    const g = tf.grad(f)(x);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, v, g]);
  });

  it('passes a gradient check (p fixed away from the 0.1 boundary)', () => {
    const x0 = tf.tensor2d([
      [0.3, -0.7, 1.2, 0.1],
      [-0.4, 0.9, -1.5, 0.6],
      [-4, -4.5, -3.8, -5], // every σ < 0.03: p = 2 under every ±h nudge
    ]);
    const z = [
      [1, 0, -1, -1],
      [-1, -1, 0, 1],
      [1, -1, 0, -1],
    ];
    const yt = [
      [0.5, 0.5, 0.2, 0.9],
      [0.6, 0.1, 0.5, 0.5],
      [0.5, 0.7, 0.5, 0.3],
    ];
    const sel = [
      [0, 0, 1, 0],
      [1, 1, 0, 0],
      [0, 1, 0, 1],
    ];
    gradientCheck(
      (x) => partialAnnotationLoss(z, yt, x, { epoch: 3, totalEpochs: 10, selected: sel }),
      x0,
    );
    x0.dispose();
  });

  it('leaks no tensor, also under tf.grad, and accepts tensors', () => {
    const x = tf.tensor2d(LOGITS);
    const z = tf.tensor2d(STATE);
    const yt = tf.tensor2d(PSEUDO);
    const sel = tf.tensor2d(SELECTED);
    const loss = expectNoLeak(() => partialAnnotationLoss(z, yt, x, { ...opts, selected: sel }));
    expectClose(loss, 1.140649);
    const g = expectNoLeak(() =>
      tf.grad((l: tf.Tensor) => partialAnnotationLoss(z, yt, l, { ...opts, selected: sel }))(x),
    );
    tf.dispose([x, z, yt, sel, loss, g]);
  });

  it('refuses bad input with clear errors', () => {
    expectTailwiseError(
      () => partialAnnotationLoss([[1, 2, 0]], [[0.5, 0.5, 0.5]], [[0, 0, 0]], opts),
      'INVALID_VALUE',
      /partialAnnotationLoss: expected `state` to be made of 1\/0\/-1 values, got 2 at flat index 1/,
    );
    expectTailwiseError(
      () => partialAnnotationLoss([[1, -1]], [[0.5, 1.5]], [[0, 0]], { epoch: 1, totalEpochs: 2 }),
      'INVALID_VALUE',
      /`pseudoLabels` to be finite values in \[0, 1\], got 1.5 at flat index 1/,
    );
    expectTailwiseError(
      () =>
        partialAnnotationLoss([[1, -1]], [[0.5, 0.5]], [[0, 0]], {
          epoch: 1,
          totalEpochs: 2,
          selected: [[0, 0.5]],
        }),
      'INVALID_VALUE',
      '`selected`',
    );
    expectTailwiseError(
      () => partialAnnotationLoss([[1, -1]], [[0.5, 0.5]], [[0, 0]], { epoch: 0, totalEpochs: 2 }),
      'INVALID_OPTION',
      /expected `epoch` to be an integer in \[1, 2\], got 0/,
    );
    expectTailwiseError(
      () =>
        partialAnnotationLoss([[1, -1]], [[0.5, 0.5]], [[0, 0]], {
          epoch: 1,
          totalEpochs: 2,
          gamma: 1.5,
        }),
      'INVALID_OPTION',
      '`gamma`',
    );
    expectTailwiseError(
      () =>
        partialAnnotationLoss([[1, -1]], [[0.5, 0.5]], [[0, 0]], {
          epoch: 1,
          totalEpochs: 2,
          betaFrom: 'batch' as never,
        }),
      'INVALID_OPTION',
      '`betaFrom`',
    );
    expectTailwiseError(
      () => partialAnnotationLoss([[1, -1, 0]], [[0.5, 0.5]], [[0, 0]], opts),
      'SHAPE_MISMATCH',
      '`state`',
    );
    expectTailwiseError(
      () => partialAnnotationLoss([[1]], [[0.5]], [[0]], undefined as never),
      'INVALID_OPTION',
      '`options`',
    );
  });

  it("reads a tensor state at the 'values' level and skips it at 'shapes'", () => {
    const bad = tf.tensor2d([[1, 2, -1]]);
    expectTailwiseError(
      () =>
        partialAnnotationLoss(bad, [[0.5, 0.5, 0.5]], [[0, 0, 0]], { epoch: 1, totalEpochs: 2 }),
      'INVALID_VALUE',
      /`state` to be made of 1\/0\/-1 values, got 2 at flat index 1/,
    );
    const loss = withValidation('shapes', () =>
      partialAnnotationLoss(bad, [[0.5, 0.5, 0.5]], [[0, 0, 0]], { epoch: 1, totalEpochs: 2 }),
    );
    loss.dispose();
    bad.dispose();
  });

  it('validateMultiLabelState reads tensors and names the first bad entry', async () => {
    const good = tf.tensor2d([[1, 0, -1]]);
    const bad = tf.tensor2d([[1, 0.5, -1]]);
    await validateMultiLabelState(good);
    await expect(validateMultiLabelState(bad)).rejects.toMatchObject({
      code: 'INVALID_VALUE',
      message: expect.stringMatching(/got 0.5 at flat index 1/),
    });
    tf.dispose([good, bad]);
  });
});
