import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  expectTensor,
  gradientCheck,
} from '../../../test/helpers';
import {
  assumeNegativeLoss,
  binaryCrossEntropy,
  missingAsNegative,
  roleLoss,
  weakAssumeNegativeLoss,
} from '../src/index';

const LN2 = Math.LN2;
const LN3 = Math.log(3);
const NEG_LN_075 = -Math.log(0.75); // 0.2876821

describe('assumeNegativeLoss (AN)', () => {
  it('hand-computed: unknown entries count as negatives', () => {
    // targets [1, 0, 0]; σ = .5, .75, .25: ln 2, −ln .25 = 2 ln 2, −ln .75
    const z = [[1, -1, 0]];
    const x = [[0, LN3, -LN3]];
    expectTensor(() => assumeNegativeLoss(z, x, { reduction: 'none' }), [LN2, 2 * LN2, NEG_LN_075]);
    expectTensor(() => assumeNegativeLoss(z, x), (3 * LN2 + NEG_LN_075) / 3);
  });

  it('equals binaryCrossEntropy on the missing-as-negative view', () => {
    tf.tidy(() => {
      const z = tf.tensor2d([
        [1, -1, 0, -1],
        [-1, 1, 1, 0],
      ]);
      const x = tf.tensor2d([
        [0.3, 2, -1, 0.5],
        [-0.2, 1, -3, 4],
      ]);
      const view = tf.tensor2d([
        [1, 0, 0, 0],
        [0, 1, 1, 0],
      ]);
      expectClose(assumeNegativeLoss(z, x), binaryCrossEntropy(view, x).dataSync()[0]!);
    });
  });
});

describe('weakAssumeNegativeLoss (WAN)', () => {
  it('hand-computed: negatives weigh 1/(C − 1)', () => {
    // C = 3: weights [1, 1/2, 1/2] -> ln 2, ln 2, −ln(.75)/2
    const z = [[1, -1, 0]];
    const x = [[0, LN3, -LN3]];
    expectTensor(
      () => weakAssumeNegativeLoss(z, x, { reduction: 'none' }),
      [LN2, LN2, NEG_LN_075 / 2],
    );
    expectTensor(() => weakAssumeNegativeLoss(z, x), (2 * LN2 + NEG_LN_075 / 2) / 3);
    // a user weight multiplies: class weights [2, 1, 0]
    expectTensor(
      () => weakAssumeNegativeLoss(z, x, { weights: [2, 1, 0], reduction: 'sum' }),
      3 * LN2,
    );
  });

  it('gradient check and no leak', () => {
    const x0 = tf.tensor2d([
      [0.2, -0.5, 1.1],
      [0.7, 0.1, -2],
    ]);
    const z = [
      [1, -1, 0],
      [-1, -1, 1],
    ];
    gradientCheck((x) => weakAssumeNegativeLoss(z, x), x0);
    gradientCheck((x) => assumeNegativeLoss(z, x), x0);
    const v = expectNoLeak(() => weakAssumeNegativeLoss(z, x0));
    tf.dispose([x0, v]);
  });

  it('refuses bad state values and a single class', () => {
    expectTailwiseError(
      () => assumeNegativeLoss([[1, 3]], [[0, 0]]),
      'INVALID_VALUE',
      /assumeNegativeLoss: expected `state` to be made of 1\/0\/-1 values, got 3/,
    );
    expectTailwiseError(
      () => weakAssumeNegativeLoss([[1]], [[0]]),
      'SHAPE_MISMATCH',
      /at least 2 classes/,
    );
  });
});

describe('roleLoss (ROLE)', () => {
  // B = 1, C = 2; state [1, −1]; logits x = [0, ln 3] (ŷ = .5, .75); estimates θ = [ln 3, 0]
  // (ŷ_est = .75, .5); k = 1.
  // entry 0 (known positive): ℓ_model = ln 2, ℓ_est = −ln .75
  // entry 1 (unknown): ℓ_model = BCE(.5, ŷ=.75) = −(.5 ln .75 + .5 ln .25), ℓ_est = BCE(.75, .5) = ln 2
  // main = mean over 2 entries of (ℓ_model + ℓ_est)/2
  // R(ŷ) = (1.25 − 1)²/4 = R(ŷ_est); reg = (R + R)/2 = 0.015625
  const cross = -(0.5 * Math.log(0.75) + 0.5 * Math.log(0.25));
  const main = ((LN2 + NEG_LN_075) / 2 + (cross + LN2) / 2) / 2;
  const expected = main + 0.015625; // 0.6433660
  const z = [[1, -1]];
  const theta = [[LN3, 0]];
  const x = [[0, LN3]];

  it('hand-computed value', () => {
    expectClose([expected], [0.643366], 1e-6);
    expectTensor(() => roleLoss(z, theta, x, { expectedNumPos: 1 }), expected);
  });

  it('a known negative is a fixed target 0 on both sides', () => {
    // state [0]: ℓ_model = −ln(1 − .5) = ln 2, ℓ_est = −ln(1 − .75) = 2 ln 2; k = 0.5:
    // R(ŷ) = 0, R(ŷ_est) = .0625 -> reg = .03125
    expectTensor(
      () => roleLoss([[0]], [[LN3]], [[0]], { expectedNumPos: 0.5 }),
      (3 * LN2) / 2 + 0.03125,
    );
  });

  it('gradients: each side learns from the other detached (independent forms + finite differences)', () => {
    const x0 = tf.tensor2d([
      [0.3, -0.8, 1.4],
      [-0.5, 0.2, 0.9],
    ]);
    const t0 = tf.tensor2d([
      [0.1, 0.4, -0.3],
      [1.2, -0.6, 0.05],
    ]);
    const state = [
      [1, -1, 0],
      [-1, -1, 1],
    ];
    const k = 1.5;
    // Model side alone, estimates as constants: ½·mean(ℓ_model) + ½·R(σ(x)).
    const sideOf = (v: tf.Tensor, other: tf.Tensor) => {
      const s = tf.tensor2d(state);
      const pos = tf.cast(tf.equal(s, 1), 'float32');
      const neg = tf.cast(tf.equal(s, 0), 'float32');
      const unk = tf.cast(tf.equal(s, -1), 'float32');
      const p = tf.sigmoid(v);
      const t = tf.sigmoid(other);
      const nlog = (a: tf.Tensor) => tf.neg(tf.log(a));
      const l = tf.add(
        tf.add(tf.mul(pos, nlog(p)), tf.mul(neg, nlog(tf.sub(1, p)))),
        tf.mul(unk, tf.add(tf.mul(t, nlog(p)), tf.mul(tf.sub(1, t), nlog(tf.sub(1, p))))),
      );
      const r = tf.div(tf.square(tf.sub(tf.mean(tf.sum(p, 1)), k)), 9);
      return tf.add(tf.div(tf.mean(l), 2), tf.div(r, 2)) as tf.Scalar;
    };
    const gx = tf.grad((v: tf.Tensor) => roleLoss(state, t0, v, { expectedNumPos: k }))(x0);
    const gxRef = tf.grad((v: tf.Tensor) => sideOf(v, t0))(x0);
    expectClose(gx, Array.from(gxRef.dataSync()), 1e-5);
    const gt = tf.grad((v: tf.Tensor) => roleLoss(state, v, x0, { expectedNumPos: k }))(t0);
    const gtRef = tf.grad((v: tf.Tensor) => sideOf(v, x0))(t0);
    expectClose(gt, Array.from(gtRef.dataSync()), 1e-5);
    gradientCheck((v) => sideOf(v, t0), x0);
    gradientCheck((v) => sideOf(v, x0), t0);
    tf.dispose([x0, t0, gx, gxRef, gt, gtRef]);
  });

  it('is finite at ±1e4 and leaks nothing', () => {
    const v = expectNoLeak(() =>
      roleLoss([[1, -1, 0]], [[1e4, -1e4, 0]], [[-1e4, 1e4, 1e4]], { expectedNumPos: 1 }),
    );
    expect(Number.isFinite(v.dataSync()[0]!)).toBe(true);
    v.dispose();
  });

  it('refuses bad input', () => {
    expectTailwiseError(
      () => roleLoss([[1, -1]], theta, x, { expectedNumPos: -1 }),
      'INVALID_OPTION',
      '`expectedNumPos`',
    );
    expectTailwiseError(
      () => roleLoss([[1, -2]], theta, x, { expectedNumPos: 1 }),
      'INVALID_VALUE',
      '`state`',
    );
    expectTailwiseError(
      () => roleLoss(z, [[0, 0, 0]], x, { expectedNumPos: 1 }),
      'SHAPE_MISMATCH',
      '`estimatorLogits`',
    );
  });
});

describe('missingAsNegative', () => {
  it('maps 1 → 1 and 0, −1 → 0; full labels come back unchanged', () => {
    expectTensor(
      () =>
        missingAsNegative([
          [1, 0, -1],
          [-1, -1, 1],
        ]),
      [1, 0, 0, 0, 0, 1],
    );
    const full = tf.tensor2d([[0, 1]]);
    expectTensor(() => missingAsNegative(full), [0, 1]);
    full.dispose();
    expectTailwiseError(() => missingAsNegative([[1, 0.5]]), 'INVALID_VALUE', '`state`');
  });
});
