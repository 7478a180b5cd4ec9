import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  expectNoLeakAsync,
  expectTailwiseError,
  expectTailwiseErrorAsync,
} from '../../../test/helpers';
import {
  Accuracy,
  AveragePrecision,
  accuracy,
  averagePrecision,
  BalancedAccuracy,
  balancedAccuracy,
  ConfusionMatrix,
  confusionMatrix,
  ErrorRates,
  ExactMatch,
  ExpectedCalibrationError,
  errorRates,
  exactMatch,
  expectedCalibrationError,
  MeanAveragePrecision,
  meanAveragePrecision,
  PerClassAccuracy,
  PrecisionRecallF1Metric,
  perClassAccuracy,
  perClassPrecisionRecallF1,
  ShotGroupAccuracy,
  shotGroupAccuracy,
} from '../src/index';

const C = 4;
/** A single-label batch: labels, predictions and matching one-hot-ish scores. */
const singleLabel = fc
  .integer({ min: 1, max: 30 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: n, maxLength: n }),
    ),
  );
/** A multi-label batch: 0/1 labels and scores in [0, 1], as rows. */
const multiLabel = fc.integer({ min: 1, max: 20 }).chain((n) =>
  fc.tuple(
    fc.array(fc.array(fc.integer({ min: 0, max: 1 }), { minLength: C, maxLength: C }), {
      minLength: n,
      maxLength: n,
    }),
    // Scores on a 1/64 grid are exact in float32, so float32 tensors and float64 arrays rank
    // and threshold them the same way.
    fc.array(
      fc.array(
        fc.integer({ min: 0, max: 64 }).map((k) => k / 64),
        { minLength: C, maxLength: C },
      ),
      {
        minLength: n,
        maxLength: n,
      },
    ),
  ),
);

/** Scores whose argmax is `predictions` (the class gets 0.9, the others 0.1/(C−1)). */
function scoresFor(predictions: number[]): number[][] {
  return predictions.map((p) =>
    Array.from({ length: C }, (_, c) => (c === p ? 0.9 : 0.1 / (C - 1))),
  );
}

const trainCounts = [50, 20, 10, 5];

describe('metrics accept tensors (async faces) with the same values as arrays', () => {
  it('single-label metrics: [N] int32 labels with [N] indices or [N, C] logits', async () => {
    await fc.assert(
      fc.asyncProperty(singleLabel, async ([labels, predictions]) => {
        const y = tf.tensor1d(labels, 'int32');
        const p = tf.tensor1d(predictions, 'int32');
        const logits = tf.tensor2d(scoresFor(predictions));
        await expectNoLeakAsync(async () => {
          expect(await accuracy(y, p)).toBe(accuracy(labels, predictions));
          expect(await accuracy(y, logits)).toBe(accuracy(labels, predictions));
          expect(await accuracy(labels, logits)).toBe(accuracy(labels, predictions));
          expect(await perClassAccuracy(y, logits, C)).toEqual(
            perClassAccuracy(labels, predictions, C),
          );
          expect(await balancedAccuracy(y, logits, C)).toBe(
            balancedAccuracy(labels, predictions, C),
          );
          expect(await confusionMatrix(y, logits, C)).toEqual(
            confusionMatrix(labels, predictions, C),
          );
          expect(await shotGroupAccuracy(y, logits, trainCounts)).toEqual(
            shotGroupAccuracy(labels, predictions, trainCounts),
          );
          expect(await errorRates(y, logits, trainCounts, 2)).toEqual(
            errorRates(labels, predictions, trainCounts, 2),
          );
          // float32 probabilities vs float64: the same bins, values within rounding
          const ece = await expectedCalibrationError(y, logits, { bins: 5 });
          const eceHost = expectedCalibrationError(labels, scoresFor(predictions), { bins: 5 });
          expect(ece.bins.map((b) => b.count)).toEqual(eceHost.bins.map((b) => b.count));
          expect(ece.value).toBeCloseTo(eceHost.value, 6);
        });
        tf.dispose([y, p, logits]);
      }),
      { numRuns: 25 },
    );
  });

  it('multi-label metrics: [N, C] tensors', async () => {
    await fc.assert(
      fc.asyncProperty(multiLabel, async ([labels, scores]) => {
        const y = tf.tensor2d(labels);
        const s = tf.tensor2d(scores);
        await expectNoLeakAsync(async () => {
          const prf = await perClassPrecisionRecallF1(y, s);
          const host = perClassPrecisionRecallF1(labels, scores);
          expect(prf.truePositives).toEqual(host.truePositives);
          expect(prf.falsePositives).toEqual(host.falsePositives);
          expect(prf.falseNegatives).toEqual(host.falseNegatives);
          // float32 scores vs float64: only a score on the threshold could differ; none is 0.5.
          expect(await exactMatch(y, s)).toBeCloseTo(exactMatch(labels, scores), 12);
          if (labels.some((row) => row.includes(1))) {
            const map = await meanAveragePrecision(y, s, C);
            expect(map.excludedClasses).toEqual(
              meanAveragePrecision(labels, scores, C).excludedClasses,
            );
          }
          const column = labels.map((row) => row[0]!);
          const scoreColumn = scores.map((row) => row[0]!);
          const [c0, s0] = [tf.tensor1d(column), tf.tensor1d(scoreColumn)];
          const ap = await averagePrecision(c0, s0);
          tf.dispose([c0, s0]);
          const hostAp = averagePrecision(column, scoreColumn);
          if (hostAp === null) expect(ap).toBeNull();
          else expect(ap).toBeCloseTo(hostAp, 5);
        });
        tf.dispose([y, s]);
      }),
      { numRuns: 20 },
    );
  });

  it('reads each tensor once, with data() and never dataSync()', async () => {
    const y = tf.tensor1d([0, 1, 2, 3, 1], 'int32');
    const logits = tf.tensor2d(scoresFor([0, 1, 1, 3, 1]));
    const data = vi.spyOn(y, 'data');
    const dataSync = vi.spyOn(y, 'dataSync');
    const logitsDataSync = vi.spyOn(logits, 'dataSync');
    expect(await accuracy(y, logits)).toBe(0.8);
    expect(data).toHaveBeenCalledTimes(1);
    expect(dataSync).not.toHaveBeenCalled();
    expect(logitsDataSync).not.toHaveBeenCalled();
    expect(y.isDisposed || logits.isDisposed).toBe(false); // the caller keeps ownership
    tf.dispose([y, logits]);
  });

  it('refuses tensors of the wrong rank and disposed tensors, naming the function', async () => {
    const cube = tf.zeros([2, 2, 2]);
    await expectTailwiseErrorAsync(
      () => accuracy(cube, [0, 1]),
      'SHAPE_MISMATCH',
      /^accuracy: expected `labels` to be a rank-1 tensor of class indices or a rank-2 \[N, C\] tensor of scores, got shape \[2, 2, 2\]$/,
    );
    await expectTailwiseErrorAsync(
      () => perClassPrecisionRecallF1(tf.zeros([3]), [[1]]),
      'SHAPE_MISMATCH',
      /^perClassPrecisionRecallF1: expected `labels` to be a rank-2 \[N, C\] tensor, got shape \[3\]$/,
    );
    const gone = tf.tensor1d([0, 1], 'int32');
    gone.dispose();
    await expectTailwiseErrorAsync(
      () => accuracy([0, 1], gone),
      'INVALID_VALUE',
      /^accuracy: expected `predictions` to be a live tensor, got a disposed tensor$/,
    );
    // Values are checked after the read, as for arrays.
    await expectTailwiseErrorAsync(
      () => perClassAccuracy(tf.tensor1d([0, 7], 'int32'), [0, 1], 4),
      'INVALID_VALUE',
      /^perClassAccuracy: expected `labels`/,
    );
    cube.dispose();
  });
});

describe('accumulating classes: update per batch, compute, reset', () => {
  it('equal the function faces on the concatenated batches', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(singleLabel, { minLength: 1, maxLength: 4 }), async (batches) => {
        const labels = batches.flatMap(([l]) => l);
        const predictions = batches.flatMap(([, p]) => p);
        const acc = new Accuracy();
        const per = new PerClassAccuracy(C);
        const bal = new BalancedAccuracy(C);
        const cm = new ConfusionMatrix(C);
        const shot = new ShotGroupAccuracy(trainCounts);
        const err = new ErrorRates(trainCounts, 2);
        const ece = new ExpectedCalibrationError({ bins: 5 });
        for (const [l, p] of batches) {
          acc.update(l, p);
          per.update(l, p);
          bal.update(l, p);
          cm.update(l, p);
          // tensor updates: a promise, read once
          const y = tf.tensor1d(l, 'int32');
          const logits = tf.tensor2d(scoresFor(p));
          await shot.update(y, logits);
          err.update(l, p);
          await ece.update(y, logits);
          tf.dispose([y, logits]);
        }
        expect(acc.size).toBe(labels.length);
        expect(acc.compute()).toBeCloseTo(accuracy(labels, predictions), 12);
        expect(per.compute()).toEqual(perClassAccuracy(labels, predictions, C));
        expect(bal.compute()).toBeCloseTo(balancedAccuracy(labels, predictions, C), 12);
        expect(cm.compute()).toEqual(confusionMatrix(labels, predictions, C));
        expect(shot.compute()).toEqual(shotGroupAccuracy(labels, predictions, trainCounts));
        expect(err.compute()).toEqual(errorRates(labels, predictions, trainCounts, 2));
        const eceHost = expectedCalibrationError(labels, scoresFor(predictions), { bins: 5 });
        expect(ece.compute().value).toBeCloseTo(eceHost.value, 6);
      }),
      { numRuns: 25 },
    );
  });

  it('multi-label classes equal the function faces on the concatenated batches', () => {
    fc.assert(
      fc.property(fc.array(multiLabel, { minLength: 1, maxLength: 3 }), (batches) => {
        const labels = batches.flatMap(([l]) => l);
        const scores = batches.flatMap(([, s]) => s);
        const prf = new PrecisionRecallF1Metric();
        const em = new ExactMatch();
        const map = new MeanAveragePrecision(C);
        const ap = new AveragePrecision();
        for (const [l, s] of batches) {
          prf.update(l, s);
          em.update(l, s);
          map.update(l, s);
          ap.update(
            l.map((row) => row[0]!),
            s.map((row) => row[0]!),
          );
        }
        expect(prf.compute()).toEqual(perClassPrecisionRecallF1(labels, scores));
        expect(em.compute()).toBe(exactMatch(labels, scores));
        expect(prf.size).toBe(labels.length);
        const hostAp = averagePrecision(
          labels.map((row) => row[0]!),
          scores.map((row) => row[0]!),
        );
        const got = ap.compute();
        if (hostAp === null) expect(got).toBeNull();
        else expect(got).toBeCloseTo(hostAp, 5);
      }),
      { numRuns: 30 },
    );
  });

  it('reset starts over; compute before any update is INVALID_STATE', () => {
    const acc = new Accuracy();
    expectTailwiseError(
      () => acc.compute(),
      'INVALID_STATE',
      /^Accuracy\.compute: expected `this` to be updated with at least one sample, got none since the last reset$/,
    );
    acc.update([0, 1], [0, 0]);
    expect(acc.compute()).toBe(0.5);
    acc.reset();
    acc.update([1], [1]);
    expect(acc.compute()).toBe(1);
    const ece = new ExpectedCalibrationError();
    expectTailwiseError(
      () => ece.compute(),
      'INVALID_STATE',
      /^ExpectedCalibrationError\.compute:/,
    );
    const em = new ExactMatch();
    expectTailwiseError(() => em.compute(), 'INVALID_STATE', /^ExactMatch\.compute:/);
    const per = new PerClassAccuracy(3);
    expectTailwiseError(
      () => per.update([0, 3], [0, 0]),
      'INVALID_VALUE',
      /^PerClassAccuracy\.update: expected `labels`/,
    );
    expect(per.size).toBe(0); // a refused batch does not count
  });
});
