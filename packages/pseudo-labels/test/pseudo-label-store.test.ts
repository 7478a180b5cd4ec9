import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  expectClose,
  expectTailwiseError,
  expectTailwiseErrorAsync,
  expectTensor,
} from '../../../test/helpers';
import {
  createPseudoLabelStore,
  MultiLabelPseudoLabelStore,
  PseudoLabelStore,
  prodenPseudoLabels,
} from '../src/index';

describe('PseudoLabelStore', () => {
  it('gets rows by sample index and sets them back', async () => {
    const store = new PseudoLabelStore([
      [1, 0],
      [0.5, 0.5],
      [0.2, 0.8],
    ]);
    expect(store.numSamples).toBe(3);
    expect(store.numClasses).toBe(2);
    expectTensor(
      () => store.get(Int32Array.from([2, 0])),
      [
        [0.2, 0.8],
        [1, 0],
      ],
    );
    const values = tf.tensor([
      [0.9, 0.1],
      [0.3, 0.7],
    ]);
    const before = tf.memory().numTensors;
    await store.set([1, 2], values);
    expect(tf.memory().numTensors).toBe(before); // reads `values`, does not take or leak it
    expect(values.isDisposed).toBe(false);
    values.dispose();
    expectClose(Array.from(store.value), [1, 0, 0.9, 0.1, 0.3, 0.7], 1e-7);
    // a repeated index keeps its last row; plain arrays work too
    await store.set(
      [0, 0],
      [
        [0.6, 0.4],
        [0.25, 0.75],
      ],
    );
    expectTensor(() => store.get([0]), [[0.25, 0.75]]);
    // value is a copy
    store.value[0] = 99;
    expectTensor(() => store.get([0]), [[0.25, 0.75]]);
  });

  it('starts uniform over candidates, and carries PRODEN targets between steps', async () => {
    // Dataset.candidates is a flat Uint8Array: rows {0, 1}, {2}, {0, 1, 2}
    const candidates = Uint8Array.from([1, 1, 0, 0, 0, 1, 1, 1, 1]);
    const store = PseudoLabelStore.fromCandidates(candidates, 3);
    expectClose(Array.from(store.value), [0.5, 0.5, 0, 0, 0, 1, 1 / 3, 1 / 3, 1 / 3], 1e-7);
    // one PRODEN step on samples 2 and 0: logits favour class 1 -> f ∝ [1, 3, 1]
    const batchCandidates = [
      [1, 1, 1],
      [1, 1, 0],
    ];
    const logits = tf.tensor([
      [0, Math.log(3), 0],
      [0, Math.log(3), 0],
    ]);
    const next = prodenPseudoLabels(batchCandidates, logits);
    await store.set([2, 0], next);
    tf.dispose([next, logits]);
    // sample 2: [1, 3, 1]/5; sample 0: [1, 3]/4 on {0, 1}
    expectTensor(
      () => store.get([0, 1, 2]),
      [
        [0.25, 0.75, 0],
        [0, 0, 1],
        [0.2, 0.6, 0.2],
      ],
    );
  });

  it('is created from a tensor (async)', async () => {
    const initial = tf.tensor([
      [0.1, 0.9],
      [0.4, 0.6],
    ]);
    const store = await createPseudoLabelStore(initial);
    expect(initial.isDisposed).toBe(false);
    initial.dispose();
    expectTensor(
      () => store.get([1, 0]),
      [
        [0.4, 0.6],
        [0.1, 0.9],
      ],
    );
  });

  it('round-trips through JSON and refuses unknown state', async () => {
    const store = new PseudoLabelStore(Float32Array.from([0.1, 0.9, 0.7, 0.3]), 2);
    await store.set([1], [[0.55, 0.45]]);
    const json = JSON.parse(JSON.stringify(store));
    const restored = PseudoLabelStore.fromJSON(json);
    expect(Array.from(restored.value)).toEqual(Array.from(store.value));
    expect(restored.numClasses).toBe(2);
    const bad = [
      undefined,
      'store',
      { ...json, kind: 'tailwise.SinkhornQueue' },
      { ...json, version: 2 },
      { ...json, numClasses: 3 },
      { ...json, numSamples: -1 },
      { ...json, values: [0.1, 0.9, 0.55] },
      { ...json, values: [0.1, 0.9, null, 0.45] },
      { ...json, values: [0.1, 0.9, '0.5', 0.45] },
    ];
    for (const state of bad) {
      expectTailwiseError(
        () => PseudoLabelStore.fromJSON(state),
        'INVALID_FORMAT',
        /^PseudoLabelStore\.fromJSON: expected `json` to be a tailwise\.PseudoLabelStore version 1 state/,
      );
    }
  });

  it('refuses bad indices, values and use after dispose', async () => {
    const store = new PseudoLabelStore([
      [1, 0],
      [0, 1],
      [0.5, 0.5],
    ]);
    expectTailwiseError(
      () => store.get([0, 3]),
      'INVALID_VALUE',
      /^PseudoLabelStore\.get: expected `indices` to be sample indices in \[0, 2\], got 3 at position 1$/,
    );
    expectTailwiseError(() => store.get([0.5]), 'INVALID_VALUE', /got 0.5 at position 0/);
    const indices = tf.tensor([0], undefined, 'int32');
    expectTailwiseError(
      () => store.get(indices as never),
      'INVALID_VALUE',
      /`indices` to be host sample indices/,
    );
    indices.dispose();
    const before = tf.memory().numTensors;
    await expectTailwiseErrorAsync(
      () => store.set([0, 1], [[0.5, 0.5, 0]]),
      'SHAPE_MISMATCH',
      /^PseudoLabelStore\.set: expected `values` to be of shape \[2, 2\], got shape \[1, 3\]$/,
    );
    await expectTailwiseErrorAsync(
      () => store.set([0], [[Number.NaN, 1]]),
      'NON_FINITE',
      /`values`/,
    );
    await expectTailwiseErrorAsync(() => store.set([-1], [[0, 1]]), 'INVALID_VALUE', /`indices`/);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(Array.from(store.value), [1, 0, 0, 1, 0.5, 0.5], 0);
    expectTailwiseError(
      () => new PseudoLabelStore([0.5, 0.5]),
      'SHAPE_MISMATCH',
      /`numClasses` = C dividing its length/,
    );
    expectTailwiseError(
      () => new PseudoLabelStore([[0.5, 0.5], [1]]),
      'SHAPE_MISMATCH',
      /row 1 of length 1/,
    );
    expectTailwiseError(
      () => new PseudoLabelStore([[0.5, Number.POSITIVE_INFINITY]]),
      'NON_FINITE',
      /`initial`/,
    );
    expectTailwiseError(
      () =>
        PseudoLabelStore.fromCandidates([
          [1, 0],
          [0, 0],
        ]),
      'EMPTY_CANDIDATE_SET',
      /^PseudoLabelStore\.fromCandidates: expected `candidates` to be a candidate set with at least one 1 in every row, got row 1 with no candidate$/,
    );
    expectTailwiseError(
      () => PseudoLabelStore.fromCandidates([[2, 0]]),
      'INVALID_VALUE',
      /`candidates`/,
    );
    store.dispose();
    expectTailwiseError(
      () => store.get([0]),
      'INVALID_STATE',
      /^PseudoLabelStore\.get: expected `store` to be not yet disposed/,
    );
    await expectTailwiseErrorAsync(() => store.set([0], [[1, 0]]), 'INVALID_STATE');
    expectTailwiseError(() => store.toJSON(), 'INVALID_STATE');
  });
});

describe('MultiLabelPseudoLabelStore', () => {
  const labels = [
    [1, -1, 0],
    [-1, -1, 1],
  ];

  it('starts unknown entries at 0.5 and sets them to sigmoid outputs, leaving known labels', async () => {
    const store = new MultiLabelPseudoLabelStore(labels);
    expectTensor(
      () => store.get([0, 1]),
      [
        [1, 0.5, 0],
        [0.5, 0.5, 1],
      ],
    );
    // σ(0) = 0.5, σ(ln 3) = 3/4, σ(−ln 3) = 1/4; known entries keep 1 and 0 whatever the logit
    const logits = tf.tensor([
      [0, Math.log(3), 5],
      [-4, -Math.log(3), 4],
    ]);
    const before = tf.memory().numTensors;
    await store.update([1, 0], logits);
    expect(tf.memory().numTensors).toBe(before);
    logits.dispose();
    expectTensor(
      () => store.get([0, 1]),
      [
        [1, 0.25, 0],
        [0.5, 0.75, 1],
      ],
    );
    expect(
      new MultiLabelPseudoLabelStore(Float32Array.from([-1, 1]), 2, { initial: 0.3 }).value[0],
    ).toBeCloseTo(0.3, 6);
  });

  it('round-trips through JSON and refuses unknown state', async () => {
    const store = new MultiLabelPseudoLabelStore(labels);
    await store.update([0], [[0, 2, 0]]);
    const json = JSON.parse(JSON.stringify(store));
    const restored = MultiLabelPseudoLabelStore.fromJSON(json);
    expect(Array.from(restored.value)).toEqual(Array.from(store.value));
    const bad = [
      null,
      { ...json, kind: 'tailwise.PseudoLabelStore' },
      { ...json, labels: [1, -1, 0, -1, -1, 2] },
      { ...json, values: json.values.slice(1) },
      { ...json, values: [0.9, 0.5, 0, 0.5, 0.5, 1] }, // a known positive must stay 1
      { ...json, values: [1, 1.5, 0, 0.5, 0.5, 1] },
    ];
    for (const state of bad) {
      expectTailwiseError(
        () => MultiLabelPseudoLabelStore.fromJSON(state),
        'INVALID_FORMAT',
        /^MultiLabelPseudoLabelStore\.fromJSON: expected `json` to be a tailwise\.MultiLabelPseudoLabelStore version 1 state/,
      );
    }
  });

  it('refuses bad labels, logits and use after dispose', async () => {
    expectTailwiseError(
      () => new MultiLabelPseudoLabelStore([[1, 2]]),
      'INVALID_VALUE',
      /^MultiLabelPseudoLabelStore: expected `labels` to be made of 1\/0\/-1 values, got 2 at flat index 1$/,
    );
    expectTailwiseError(
      () => new MultiLabelPseudoLabelStore(labels, undefined, { initial: 2 }),
      'INVALID_OPTION',
      /`initial` to be a number in \[0, 1\], got 2/,
    );
    const store = new MultiLabelPseudoLabelStore(labels);
    await expectTailwiseErrorAsync(
      () => store.update([0], [[0, 1]]),
      'SHAPE_MISMATCH',
      /`logits` to be of shape \[1, 3\], got shape \[1, 2\]/,
    );
    await expectTailwiseErrorAsync(
      () => store.update([0], [[0, Number.NaN, 1]]),
      'NON_FINITE',
      /`logits`/,
    );
    store.dispose();
    expectTailwiseError(() => store.get([0]), 'INVALID_STATE');
  });
});
