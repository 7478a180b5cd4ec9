import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectNoLeak,
  expectTailwiseError,
  expectTailwiseErrorAsync,
  expectTensor,
} from '../../../test/helpers';
import { SinkhornQueue, sinkhornPseudoLabels } from '../src/index';

type Matrix = number[][];

function softmaxRows(logits: Matrix): Matrix {
  return logits.map((row) => {
    const max = Math.max(...row);
    const e = row.map((x) => Math.exp(x - max));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / total);
  });
}

function product(candidates: Matrix, logits: Matrix): Matrix {
  return softmaxRows(logits).map((row, i) => row.map((f, j) => f * candidates[i]![j]!));
}

/**
 * Plain float64 Sinkhorn in the linear domain, independent of the library: K = P^λ, alternate
 * v_k = N·r_k / Σ_i K_ik·u_i and u_i = 1 / Σ_k K_ik·v_k, return u_i·K_ik·v_k for the last
 * `batchRows` rows. With `relax`, zero entries of P are first replaced by 1e-5 (Solar) and the
 * result is set to 0 where P = 0 and renormalized.
 */
function sinkhornReference(
  p: Matrix,
  prior: number[],
  lambda: number,
  iterations: number,
  batchRows = p.length,
  relax = false,
): Matrix {
  const n = p.length;
  const c = prior.length;
  const k = p.map((row) => row.map((x) => (relax && x === 0 ? 1e-5 : x) ** lambda));
  const u = new Array<number>(n).fill(1);
  const v = new Array<number>(c).fill(1);
  for (let t = 0; t < iterations; t++) {
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i]![j]! * u[i]!;
      v[j] = (n * prior[j]!) / s;
    }
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < c; j++) s += k[i]![j]! * v[j]!;
      u[i] = 1 / s;
    }
  }
  return k.slice(n - batchRows).map((row, bi) => {
    const i = n - batchRows + bi;
    const w = row.map((x, j) => (p[i]![j] === 0 ? 0 : u[i]! * x * v[j]!));
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / total);
  });
}

/** True when some row or column of P has no positive entry (the plain problem gives NaN). */
function needsRelaxation(p: Matrix): boolean {
  const emptyRow = p.some((row) => row.every((x) => x === 0));
  const emptyColumn = p[0]!.some((_, j) => p.every((row) => row[j] === 0));
  return emptyRow || emptyColumn;
}

function columnSums(w: Matrix): number[] {
  return w[0]!.map((_, j) => w.reduce((a, row) => a + row[j]!, 0));
}

const read = (t: tf.Tensor): Matrix => {
  const out = t.arraySync() as Matrix;
  t.dispose();
  return out;
};

describe('sinkhornPseudoLabels', () => {
  it('gives every sample the prior when all share one prediction (hand case)', () => {
    // Rows differing by a constant logit offset have equal f, so K = (f ⊙ 1)^λ has rank 1:
    // K_ik = a_i·b_k, and diag(u)·K·diag(v) with rows summing to 1 and columns to 4·r_k is
    // w_ik = r_k for every i, whatever λ.
    const logits = [
      [1, 2, 3],
      [11, 12, 13],
      [-4, -3, -2],
      [0, 1, 2],
    ];
    const ones = logits.map((row) => row.map(() => 1));
    const prior = [0.5, 0.3, 0.2];
    expectTensor(
      () => sinkhornPseudoLabels(ones, logits, prior),
      [prior, prior, prior, prior],
      1e-5,
    );
  });

  it('cannot move mass off a single candidate (hand case)', () => {
    // each row has one candidate: rows must sum to 1, so w = S whatever the prior
    expectTensor(
      () =>
        sinkhornPseudoLabels(
          [
            [1, 0],
            [0, 1],
            [0, 1],
          ],
          [
            [5, -5],
            [0, 0],
            [-3, 2],
          ],
          [0.7, 0.3],
        ),
      [
        [1, 0],
        [0, 1],
        [0, 1],
      ],
    );
  });

  it('matches a float64 Sinkhorn; rows sum to 1 and columns to B·r on a feasible case', () => {
    const candidates = [
      [1, 1, 1],
      [1, 1, 0],
      [0, 1, 1],
      [1, 1, 1],
      [1, 0, 1],
      [1, 1, 1],
      [1, 1, 1],
      [0, 1, 1],
    ];
    const logits = [
      [0.9, -0.2, 0.1],
      [0.3, 0.5, -1.0],
      [-0.4, 0.8, 0.2],
      [1.2, 0.1, -0.3],
      [0.2, 0.0, 0.6],
      [-0.5, 0.4, 0.7],
      [0.0, -0.6, 0.3],
      [0.1, 0.2, -0.2],
    ];
    const prior = [0.5, 0.3, 0.2];
    for (const lambda of [1, 3]) {
      const w = read(sinkhornPseudoLabels(candidates, logits, prior, { lambda, iterations: 60 }));
      const reference = sinkhornReference(product(candidates, logits), prior, lambda, 60);
      expectClose(w.flat(), reference.flat(), 1e-4);
      for (const row of w) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      expectClose(
        columnSums(w),
        prior.map((r) => 8 * r),
        1e-3,
      );
      const outside = w.flatMap((row, i) => row.filter((_, j) => candidates[i]![j] === 0));
      expect(outside).toEqual(new Array(outside.length).fill(0));
    }
  });

  it('takes the product f ⊙ S directly, with the same result', () => {
    const candidates = [
      [1, 1, 0],
      [0, 1, 1],
      [1, 1, 1],
    ];
    const logits = [
      [0.5, 0.1, 2],
      [1, -1, 0.3],
      [0, 0.2, -0.4],
    ];
    const prior = [0.4, 0.35, 0.25];
    const fromLogits = read(sinkhornPseudoLabels(candidates, logits, prior));
    expectTensor(() => sinkhornPseudoLabels(product(candidates, logits), prior), fromLogits, 1e-5);
  });

  it('falls back to the relaxed problem where the plain one gives NaN (Solar), in the op', () => {
    // class 2 is nobody's candidate, yet r_2 = 0.2: column 2 of K is empty, and Sinkhorn's
    // column update divides by 0 -> the plain float64 reference is NaN everywhere.
    const candidates = [
      [1, 1, 0],
      [1, 1, 0],
      [0, 1, 0],
    ];
    const logits = [
      [0.2, 0.1, 0.4],
      [-0.3, 0.6, 0.0],
      [0.1, 0.1, 0.1],
    ];
    const prior = [0.4, 0.4, 0.2];
    const p = product(candidates, logits);
    expect(needsRelaxation(p)).toBe(true);
    expect(sinkhornReference(p, prior, 3, 50).flat().some(Number.isNaN)).toBe(true);
    // relaxed: zeros -> 1e-5, solve, zero outside candidates, renormalize rows
    const w = expectNoLeak(() => sinkhornPseudoLabels(candidates, logits, prior));
    expectClose(w, sinkhornReference(p, prior, 3, 50, 3, true), 1e-4);
    const rows = read(w);
    rows.forEach((row) => {
      expect(row[2]).toBe(0);
      expect(Math.abs(row[0]! + row[1]! - 1)).toBeLessThan(1e-5);
    });
    expect(rows[2]).toEqual([0, 1, 0]);
  });

  it('matches the float64 reference on random inputs, relaxed or not (property)', () => {
    const matrix = <T>(b: number, c: number, value: fc.Arbitrary<T>) =>
      fc.array(fc.array(value, { minLength: c, maxLength: c }), { minLength: b, maxLength: b });
    const testCase = fc
      .record({ b: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 4 }) })
      .chain(({ b, c }) =>
        fc.record({
          candidates: fc
            .tuple(
              matrix(b, c, fc.boolean()),
              fc.array(fc.nat(c - 1), { minLength: b, maxLength: b }),
            )
            .map(([bits, forced]) =>
              bits.map((row, i) => row.map((bit, j) => (bit || forced[i] === j ? 1 : 0))),
            ),
          logits: matrix(b, c, fc.double({ min: -2, max: 2, noNaN: true })),
          prior: fc
            .array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: c, maxLength: c })
            .map((r) => r.map((v) => v / r.reduce((a, x) => a + x, 0))),
          lambda: fc.constantFrom(1, 2, 3),
        }),
      );
    fc.assert(
      fc.property(testCase, ({ candidates, logits, prior, lambda }) => {
        const p = product(candidates, logits);
        const expected = sinkhornReference(p, prior, lambda, 50, p.length, needsRelaxation(p));
        const w = read(sinkhornPseudoLabels(candidates, logits, prior, { lambda }));
        expectClose(w.flat(), expected.flat(), 5e-4);
      }),
      { numRuns: 40 },
    );
  });

  it('is zero outside candidates, rows sum to 1 and finite for logits up to ±1e4 (property)', () => {
    const testCase = fc
      .record({ b: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 5 }) })
      .chain(({ b, c }) =>
        fc.record({
          candidates: fc.array(
            fc
              .tuple(fc.array(fc.boolean(), { minLength: c, maxLength: c }), fc.nat(c - 1))
              .map(([bits, forced]) => bits.map((bit, j) => (bit || j === forced ? 1 : 0))),
            { minLength: b, maxLength: b },
          ),
          logits: fc.array(
            fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), {
              minLength: c,
              maxLength: c,
            }),
            {
              minLength: b,
              maxLength: b,
            },
          ),
        }),
      );
    fc.assert(
      fc.property(testCase, ({ candidates, logits }) => {
        const c = candidates[0]!.length;
        const w = read(sinkhornPseudoLabels(candidates, logits, new Array(c).fill(1 / c)));
        w.forEach((row, i) => {
          row.forEach((x, j) => {
            expect(Number.isFinite(x)).toBe(true);
            if (candidates[i]![j] === 0) expect(x).toBe(0);
          });
          expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('passes no gradient to the logits, and frees its iterations under a tape', () => {
    const logits = tf.tensor([
      [0.5, 0.1, 2],
      [1, -1, 0.3],
    ]);
    const before = tf.memory().numTensors;
    const g = tf.grad((l: tf.Tensor) =>
      tf.sum(
        tf.mul(
          sinkhornPseudoLabels(
            [
              [1, 1, 0],
              [1, 1, 1],
            ],
            l,
            [0.5, 0.3, 0.2],
          ),
          [[1, 2, 3]],
        ),
      ),
    )(logits);
    expect(tf.memory().numTensors - before).toBe(1);
    expectClose(g, [0, 0, 0, 0, 0, 0], 0);
    tf.dispose([g, logits]);
  });

  it('refuses bad shapes and options, leaking nothing', () => {
    const s = [
      [1, 1, 0],
      [0, 1, 1],
    ];
    const l = [
      [0, 1, 2],
      [2, 1, 0],
    ];
    const before = tf.memory().numTensors;
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, [[0, 1, 2]], [0.5, 0.3, 0.2]),
      'SHAPE_MISMATCH',
      /^sinkhornPseudoLabels: expected `logits` to be of the same shape as `candidates` \[2, 3\], got shape \[1, 3\]$/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels([1, 1], l, [0.5, 0.3, 0.2]),
      'SHAPE_MISMATCH',
      /`candidates` to be of rank 2/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, l, [0.5, 0.5]),
      'SHAPE_MISMATCH',
      /`prior` to be a distribution over 3 classes \(sums to 1\), got shape \[2\]/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, [0.5, 0.5]),
      'SHAPE_MISMATCH',
      /`prior` to be a distribution over 3 classes/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels([1, 2], [0.5, 0.5]),
      'SHAPE_MISMATCH',
      /`probsTimesCandidates` to be of rank 2/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, l, [0.5, 0.3, 0.2], { lambda: 0 }),
      'INVALID_OPTION',
      /`lambda` to be a number > 0, got 0/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, l, [0.5, 0.3, 0.2], { iterations: 0 }),
      'INVALID_OPTION',
      /`iterations` to be an integer >= 1, got 0/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, l, [0.5, 0.3, 0.2], { iterations: 2.5 }),
      'INVALID_OPTION',
      /`iterations`/,
    );
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, l, [0.5, 0.3, 0.2], { queue: [[1, 0]] }),
      'SHAPE_MISMATCH',
      /`queue` to be of shape \[Q, 3\], got shape \[1, 2\]/,
    );
    const queue = new SinkhornQueue({ numClasses: 4 });
    expectTailwiseError(
      () => sinkhornPseudoLabels(s, l, [0.5, 0.3, 0.2], { queue }),
      'SHAPE_MISMATCH',
      /`queue` to be a queue of rows over 3 classes, got a queue over 4 classes/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('SinkhornQueue', () => {
  const prior = [1 / 3, 1 / 3, 1 / 3];
  const ones = [
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 1],
  ];
  // the first two batches lean hard on class 0; the third only a little
  const batches = [
    [
      [3, 0, 0],
      [2.5, 0.5, 0],
      [3, 0, 0.5],
    ],
    [
      [2, 0, 0],
      [3, 1, 0],
      [2.5, 0, 1],
    ],
    [
      [1, 0, 0.2],
      [0.8, 0.6, 0],
      [0, 0.3, 0.5],
    ],
  ];

  it('is not used until full, then solves the batch with its rows and returns the batch only', async () => {
    const queue = new SinkhornQueue({ batches: 2 });
    expect(queue.isFull).toBe(false);
    for (const [step, logits] of batches.entries()) {
      const alone = read(sinkhornPseudoLabels(ones, logits, prior));
      const w = expectNoLeak(() => sinkhornPseudoLabels(ones, logits, prior, { queue }));
      expect(w.shape).toEqual([3, 3]);
      if (step < 2) {
        expect(queue.isFull).toBe(false);
        expectClose(w, alone, 1e-6);
      } else {
        expect(queue.isFull).toBe(true);
        // jointly with the 6 queued rows: 9 rows, columns sum to 9·r, the last 3 returned
        const all = [...batches[0]!, ...batches[1]!, ...logits];
        const joint = sinkhornReference(product([...ones, ...ones, ...ones], all), prior, 3, 50, 3);
        expectClose(w, joint, 1e-4);
        const rows = w.arraySync() as Matrix;
        expect(
          Math.max(...rows.flat().map((x, i) => Math.abs(x - alone.flat()[i]!))),
        ).toBeGreaterThan(0.05);
      }
      w.dispose();
      await queue.push(ones, logits);
    }
    // it holds the last two batches, oldest first
    expect(queue.length).toBe(2);
    expect(queue.numRows).toBe(6);
    expectClose(
      Array.from(queue.value),
      product([...ones, ...ones], [...batches[1]!, ...batches[2]!]).flat(),
      1e-6,
    );
    queue.dispose();
  });

  it('as a tensor of rows gives the same result, and push accepts the product', async () => {
    const queue = new SinkhornQueue({ batches: 2 });
    await queue.push(product(ones, batches[0]!));
    await queue.push(ones, batches[1]!);
    const rows = expectNoLeak(() => queue.toTensor());
    expect(rows.shape).toEqual([6, 3]);
    const viaQueue = read(sinkhornPseudoLabels(ones, batches[2]!, prior, { queue }));
    expectTensor(
      () => sinkhornPseudoLabels(ones, batches[2]!, prior, { queue: rows }),
      viaQueue,
      1e-6,
    );
    expectTensor(
      () => sinkhornPseudoLabels(product(ones, batches[2]!), prior, { queue: rows }),
      viaQueue,
      1e-5,
    );
    rows.dispose();
  });

  it('round-trips through JSON and refuses unknown state', async () => {
    const queue = new SinkhornQueue({ batches: 3 });
    await queue.push(ones, batches[0]!);
    await queue.push([[0.5, 0, 0.25]]);
    const json = JSON.parse(JSON.stringify(queue));
    const restored = SinkhornQueue.fromJSON(json);
    expect(restored.capacity).toBe(3);
    expect(restored.numClasses).toBe(3);
    expect(restored.length).toBe(2);
    expect(Array.from(restored.value)).toEqual(Array.from(queue.value));
    expect(SinkhornQueue.fromJSON(new SinkhornQueue().toJSON()).numClasses).toBeUndefined();
    const bad = [
      null,
      [],
      { ...json, kind: 'tailwise.PseudoLabelStore' },
      { ...json, version: 2 },
      { ...json, batches: 0 },
      { ...json, batches: 1 },
      { ...json, numClasses: 2 },
      { ...json, rows: [[0.1, -0.2, 0.3]] },
      { ...json, rows: [[0.1, null, 0.3]] },
      { ...json, rows: 'abc' },
    ];
    for (const state of bad) {
      expectTailwiseError(
        () => SinkhornQueue.fromJSON(state),
        'INVALID_FORMAT',
        /^SinkhornQueue\.fromJSON: expected `json` to be a tailwise\.SinkhornQueue version 1 state/,
      );
    }
  });

  it('refuses bad pushes and options, and use after dispose', async () => {
    const queue = new SinkhornQueue({ numClasses: 3 });
    const before = tf.memory().numTensors;
    await expectTailwiseErrorAsync(
      () => queue.push([[0.1, 0.2]]),
      'SHAPE_MISMATCH',
      /^SinkhornQueue\.push: expected `probsTimesCandidates` to be of shape \[\*, 3\], got shape \[1, 2\]$/,
    );
    await expectTailwiseErrorAsync(
      () => queue.push([[0.1, Number.NaN, 0.2]]),
      'NON_FINITE',
      /`probsTimesCandidates`/,
    );
    await expectTailwiseErrorAsync(
      () => queue.push([[0.1, -0.1, 0.2]]),
      'INVALID_VALUE',
      /non-negative/,
    );
    await expectTailwiseErrorAsync(
      () => queue.push([[1, 1, 0]], [[1, 2]]),
      'SHAPE_MISMATCH',
      /`logits` to be of the same shape as `candidates`/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(queue.length).toBe(0);
    expectTailwiseError(
      () => new SinkhornQueue({ batches: 0 }),
      'INVALID_OPTION',
      /^SinkhornQueue: expected `batches` to be an integer >= 1, got 0$/,
    );
    expectTailwiseError(() => new SinkhornQueue({ size: 3 } as never), 'INVALID_OPTION', /`size`/);
    queue.dispose();
    await expectTailwiseErrorAsync(
      () => queue.push([[0.1, 0.2, 0.3]]),
      'INVALID_STATE',
      /SinkhornQueue\.push/,
    );
    expectTailwiseError(() => queue.toJSON(), 'INVALID_STATE');
  });
});
