import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectTailwiseError, expectTensor } from '../../../test/helpers';
import {
  assertImageBatch,
  assertImageShape,
  assertRng,
  createRng,
  logRatio,
  readStateEnvelope,
  stateEnvelope,
} from '../src/index';

describe('stateEnvelope / readStateEnvelope', () => {
  it('wraps a payload and reads it back', () => {
    const s = stateEnvelope('tailwise.Thing', 1, { a: 1, b: [2, 3] });
    expect(s).toEqual({ kind: 'tailwise.Thing', version: 1, a: 1, b: [2, 3] });
    const back = readStateEnvelope(
      JSON.parse(JSON.stringify(s)),
      'tailwise.Thing',
      1,
      'Thing.fromJSON',
      ['a', 'b'],
    );
    expect(back).toEqual({ a: 1, b: [2, 3] });
  });

  it('round-trips any JSON payload (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc
            .string({ minLength: 1 })
            .filter((k) => k !== 'kind' && k !== 'version' && k !== '__proto__'),
          fc.jsonValue(),
        ),
        fc.integer({ min: 1, max: 99 }),
        (payload, version) => {
          const s = JSON.parse(JSON.stringify(stateEnvelope('tailwise.P', version, payload)));
          const back = readStateEnvelope(s, 'tailwise.P', version, 'P.fromJSON');
          expect(back).toEqual(JSON.parse(JSON.stringify(payload)));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses another kind, version, legacy spellings and unknown keys, naming them', () => {
    const fn = 'Thing.fromJSON';
    const ok = stateEnvelope('tailwise.Thing', 1, { a: 1 });
    expectTailwiseError(
      () => readStateEnvelope({ ...ok, kind: 'tailwise.Other' }, 'tailwise.Thing', 1, fn),
      'INVALID_FORMAT',
      'Thing.fromJSON: expected `json` to be a tailwise.Thing version 1 state, got kind "tailwise.Other"',
    );
    expectTailwiseError(
      () => readStateEnvelope({ ...ok, version: 2 }, 'tailwise.Thing', 1, fn),
      'INVALID_FORMAT',
      'got tailwise.Thing version 2',
    );
    expectTailwiseError(
      () =>
        readStateEnvelope({ format: 'tailwise/thing', version: 1, a: 1 }, 'tailwise.Thing', 1, fn),
      'INVALID_FORMAT',
      'got format "tailwise/thing" (no kind)',
    );
    expectTailwiseError(
      () => readStateEnvelope({ ...ok, extra: 1 }, 'tailwise.Thing', 1, fn, ['a']),
      'INVALID_FORMAT',
      'got unknown key "extra"',
    );
    for (const bad of [null, 3, 'x', [ok]]) {
      expectTailwiseError(() => readStateEnvelope(bad, 'tailwise.Thing', 1, fn), 'INVALID_FORMAT');
    }
  });

  it('refuses malformed kinds, versions and payloads when writing', () => {
    expectTailwiseError(
      () => stateEnvelope('EmaPrior', 1, {}),
      'INVALID_OPTION',
      "'tailwise.<Name>'",
    );
    expectTailwiseError(() => stateEnvelope('tailwise.X', 0, {}), 'INVALID_OPTION', 'integer ≥ 1');
    expectTailwiseError(
      () => stateEnvelope('tailwise.X', 1, { kind: 'y' }),
      'INVALID_OPTION',
      'without a `kind` or `version` key',
    );
  });
});

describe('assertRng', () => {
  it('accepts a core Rng and refuses look-alikes', () => {
    expect(() => assertRng(createRng(1), 'f')).not.toThrow();
    expectTailwiseError(
      () => assertRng({ permutation: () => [] }, 'f', 'opts.rng'),
      'INVALID_OPTION',
      'f: expected `opts.rng` to be an Rng (createRng(seed) from @tailwise/core), got object',
    );
    expectTailwiseError(() => assertRng(42, 'f'), 'INVALID_OPTION', 'got 42');
    expectTailwiseError(() => assertRng(undefined, 'f'), 'INVALID_OPTION', 'got undefined');
  });
});

describe('image shape checks', () => {
  it('accepts [H, W, 1|3] and refuses the rest, naming the shape', () => {
    expect(() => assertImageShape([28, 28, 1], 'f', 'train')).not.toThrow();
    expect(() => assertImageShape([32, 32, 3], 'f', 'train')).not.toThrow();
    expectTailwiseError(
      () => assertImageShape([784], 'f', 'train', { reason: 'the views augment images' }),
      'SHAPE_MISMATCH',
      'f: expected `train` to be images [H, W, 1] or [H, W, 3] (the views augment images), got inputShape [784]',
    );
    expectTailwiseError(() => assertImageShape([8, 8, 2], 'f', 'x'), 'SHAPE_MISMATCH');
    expect(() =>
      assertImageShape([8, 8], 'f', 'x', { channels: [1], allowNoChannel: true }),
    ).not.toThrow();
    expectTailwiseError(
      () => assertImageShape([8, 8, 3], 'f', 'x', { channels: [1], allowNoChannel: true }),
      'SHAPE_MISMATCH',
      'images [H, W] or [H, W, 1]',
    );
  });

  it('checks batches [B, H, W, C]', () => {
    const ok = tf.zeros([2, 4, 4, 3]);
    const bad = tf.zeros([2, 4, 4, 2]);
    const flat = tf.zeros([2, 16]);
    expect(() => assertImageBatch(ok, 'f', 'x')).not.toThrow();
    expectTailwiseError(
      () => assertImageBatch(bad, 'f', 'x'),
      'SHAPE_MISMATCH',
      'a batch of images [B, H, W, 1] or [B, H, W, 3], got shape [2, 4, 4, 2]',
    );
    expectTailwiseError(() => assertImageBatch(flat, 'f', 'x'), 'SHAPE_MISMATCH');
    tf.dispose([ok, bad, flat]);
  });
});

describe('logRatio', () => {
  it('is log((a + 1e-9)/(b + 1e-9)) with zero gradient and no leak', () => {
    const a = tf.tensor1d([0.75, 0.25, 0]);
    const b = tf.tensor1d([0.5, 0.5, 0.5]);
    expectTensor(
      () => logRatio(a, b),
      [
        Math.log((0.75 + 1e-9) / (0.5 + 1e-9)),
        Math.log((0.25 + 1e-9) / (0.5 + 1e-9)),
        Math.log(1e-9 / (0.5 + 1e-9)),
      ],
      1e-4,
    );
    expectTensor(() => tf.grad((x: tf.Tensor) => tf.sum(logRatio(x, b)))(a), [0, 0, 0]);
    const before = tf.memory().numTensors;
    const r = logRatio(a, b);
    expect(tf.memory().numTensors - before).toBe(1);
    tf.dispose([r, a, b]);
  });
});
