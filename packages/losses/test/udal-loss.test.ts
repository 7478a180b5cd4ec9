import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  expectTensor,
  gradientCheck,
} from '../../../test/helpers';
import { crossEntropy, udalLoss, udalLossTerms } from '../src/index';

const EPS = 1e-9;

/** Plain-JS CE of one row: logsumexp(z + a) − (z + a)[y]. */
function ceRow(z: number[], a: number[], y: number): number {
  const s = z.map((v, i) => v + a[i]!);
  const m = Math.max(...s);
  return m + Math.log(s.reduce((acc, v) => acc + Math.exp(v - m), 0)) - s[y]!;
}
const logRatio = (p: number[], q: number[]) => p.map((v, i) => Math.log((v + EPS) / (q[i]! + EPS)));

const LABELS = [0, 2];
const LABELED = [
  [1, 0, -1],
  [0.5, 0.2, 0.1],
];
const STRONG = [
  [0.3, 0.1, 0],
  [2, -1, 0.5],
  [0, 0, 1],
];
const PSEUDO = [0, 2, 1];
const MASK = [1, 0, 1];
const P_DATA = [0.6, 0.3, 0.1];
const TARGET = [0.5, 0.3, 0.2];
const P_HAT = [0.4, 0.4, 0.2];

function expected(lambdaU: number) {
  const aL = logRatio(P_DATA, TARGET);
  const aU = logRatio(P_HAT, TARGET);
  const labeled = (ceRow(LABELED[0]!, aL, 0) + ceRow(LABELED[1]!, aL, 2)) / 2;
  const unlabeled = (ceRow(STRONG[0]!, aU, 0) + ceRow(STRONG[2]!, aU, 1)) / 3;
  return { labeled, unlabeled, loss: labeled + lambdaU * unlabeled };
}

function inputs(over: Record<string, unknown> = {}) {
  return {
    labels: tf.tensor1d(LABELS, 'int32'),
    labeledLogits: tf.tensor2d(LABELED),
    strongLogits: tf.tensor2d(STRONG),
    pseudoLabels: tf.tensor1d(PSEUDO, 'int32'),
    mask: tf.tensor1d(MASK),
    pData: tf.tensor1d(P_DATA),
    target: tf.tensor1d(TARGET),
    pHat: tf.tensor1d(P_HAT),
    ...over,
  };
}

describe('udalLoss', () => {
  it('matches a plain-JS evaluation of both branches (paper 004, Algorithm 1)', () => {
    const x = inputs();
    const e = expected(2);
    expectTensor(() => udalLoss(x, { lambdaU: 2 }), e.loss, 1e-5);
    expectTensor(() => udalLoss(x), expected(1).loss, 1e-5);
    const terms = expectNoLeak(() => udalLossTerms(x, { lambdaU: 2 }));
    expectClose(terms.loss, e.loss, 1e-5);
    expectClose(terms.labeled, e.labeled, 1e-5);
    expectClose(terms.unlabeled, e.unlabeled, 1e-5);
    expectClose(terms.maskRate, 2 / 3, 1e-6);
    tf.dispose([terms, x]);
  });

  it('host arrays work as well as tensors', () => {
    const host = {
      labels: LABELS,
      labeledLogits: LABELED,
      strongLogits: STRONG,
      pseudoLabels: PSEUDO,
      mask: MASK,
      pData: P_DATA,
      target: TARGET,
      pHat: P_HAT,
    };
    expectTensor(() => udalLoss(host), expected(1).loss, 1e-5);
  });

  it('is FixMatch (CE + λ·masked CE over μB) when p_data = p̃ = p̂ (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 9, maxLength: 9 }),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (l, s, m, lambdaU) => {
          tf.tidy(() => {
            const labeledLogits = tf.tensor2d(l, [2, 3]);
            const strongLogits = tf.tensor2d(s, [3, 3]);
            const mask = tf.tensor1d(m.map(Number));
            const p = tf.tensor1d([0.2, 0.5, 0.3]);
            const labels = tf.tensor1d(LABELS, 'int32');
            const pseudoLabels = tf.tensor1d(PSEUDO, 'int32');
            const got = udalLoss(
              {
                labels,
                labeledLogits,
                strongLogits,
                pseudoLabels,
                mask,
                pData: p,
                target: p,
                pHat: p,
              },
              { lambdaU },
            );
            const want = tf.add(
              crossEntropy(labels, labeledLogits),
              tf.mul(
                tf.div(crossEntropy(pseudoLabels, strongLogits, { mask, reduction: 'sum' }), 3),
                lambdaU,
              ),
            );
            expectClose(got, want.dataSync()[0]!, 1e-4);
          });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gradient check in both logits; no gradient into the distributions or the mask', () => {
    const x = inputs();
    gradientCheck((z) => udalLoss({ ...x, labeledLogits: z }, { lambdaU: 2 }), x.labeledLogits);
    gradientCheck((z) => udalLoss({ ...x, strongLogits: z }, { lambdaU: 2 }), x.strongLogits);
    for (const key of ['pData', 'target', 'pHat', 'mask'] as const) {
      expectTensor(
        () => tf.grad((d: tf.Tensor) => udalLoss({ ...x, [key]: d }))(x[key]),
        [0, 0, 0],
      );
    }
    tf.dispose(x);
  });

  it('an all-zero mask leaves the labeled branch alone', () => {
    const x = inputs({ mask: tf.zeros([3]) });
    const terms = udalLossTerms(x);
    expectClose(terms.unlabeled, 0, 0);
    expectClose(terms.loss, expected(1).labeled, 1e-5);
    expectClose(terms.maskRate, 0, 0);
    tf.dispose([terms, x]);
  });

  it('refuses bad inputs, naming them', () => {
    const x = inputs();
    expectTailwiseError(
      () => udalLoss({ ...x, mask: tf.ones([2]) }),
      'SHAPE_MISMATCH',
      'udalLoss: expected `mask` to be of shape [3]',
    );
    expectTailwiseError(
      () => udalLoss({ ...x, pHat: [0.5, 0.5] }),
      'SHAPE_MISMATCH',
      'udalLoss: expected `pHat` to be of shape [3]',
    );
    expectTailwiseError(
      () => udalLoss({ ...x, pData: [0.5, 0.6, 0.1] }),
      'NOT_A_DISTRIBUTION',
      'udalLoss: expected `pData` to be a distribution over 3 classes',
    );
    expectTailwiseError(
      () => udalLoss({ ...x, strongLogits: tf.zeros([3, 4]) }),
      'SHAPE_MISMATCH',
      'udalLoss: expected `strongLogits`',
    );
    expectTailwiseError(
      () => udalLoss(x, { lambdaU: -1 }),
      'INVALID_OPTION',
      'udalLoss: expected `lambdaU` to be a number >= 0, got -1',
    );
    expectTailwiseError(() => udalLoss(x, { tau: 1 } as never), 'INVALID_OPTION', '`tau`');
    expectTailwiseError(
      () => udalLoss(null as never),
      'INVALID_VALUE',
      'udalLoss: expected `inputs`',
    );
    tf.dispose(x);
  });
});
