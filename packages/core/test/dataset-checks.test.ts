import { describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import { assertDataset, type Dataset } from '../src/index';

const good = (): Dataset => ({
  name: 'tiny',
  size: 2,
  inputShape: [3],
  features: new Float32Array([0, 1, 2, 3, 4, 5]),
  numClasses: 2,
  labels: Int32Array.from([0, 1]),
  candidates: Uint8Array.from([1, 0, 1, 1]),
  multiLabels: Float32Array.from([1, -1, 0, 1]),
  softLabels: Float32Array.from([0.5, 0.5, 1, 0]),
  classNames: ['a', 'b'],
});

const bad = (patch: Record<string, unknown>) => ({ ...good(), ...patch });

describe('assertDataset', () => {
  it('accepts a well-formed dataset', () => {
    expect(() => assertDataset(good(), 'f', 'train')).not.toThrow();
  });

  it('names the offending field for each defect', () => {
    const cases: [unknown, string, string, Record<string, unknown>?][] = [
      [null, 'INVALID_VALUE', 'train'],
      ['x', 'INVALID_VALUE', 'train'],
      [
        bad({
          size: 0,
          features: new Float32Array(0),
          labels: new Int32Array(0),
          candidates: undefined,
          multiLabels: undefined,
          softLabels: undefined,
        }),
        'INVALID_VALUE',
        'train.size',
      ],
      [bad({ size: 1.5 }), 'INVALID_VALUE', 'train.size'],
      [bad({ numClasses: 0 }), 'INVALID_VALUE', 'train.numClasses'],
      [bad({ inputShape: [0] }), 'INVALID_VALUE', 'train.inputShape'],
      [bad({ features: [1, 2] }), 'INVALID_VALUE', 'train.features'],
      [bad({ features: new Float32Array(5) }), 'SHAPE_MISMATCH', 'train.features'],
      [
        bad({ features: Float32Array.from([0, 1, Number.NaN, 3, 4, 5]) }),
        'NON_FINITE',
        'train.features',
      ],
      [bad({ labels: Int32Array.from([0, 2]) }), 'INVALID_VALUE', 'train.labels'],
      [bad({ labels: Int32Array.from([-1, 0]) }), 'INVALID_VALUE', 'train.labels'],
      [bad({ labels: [0, 1] }), 'INVALID_VALUE', 'train.labels'],
      [bad({ labels: Int32Array.from([0]) }), 'SHAPE_MISMATCH', 'train.labels'],
      [
        bad({ candidates: Uint8Array.from([0, 0, 1, 1]) }),
        'EMPTY_CANDIDATE_SET',
        'train.candidates',
      ],
      [bad({ candidates: Uint8Array.from([2, 0, 1, 1]) }), 'INVALID_VALUE', 'train.candidates'],
      [bad({ candidates: Uint8Array.from([1, 0]) }), 'SHAPE_MISMATCH', 'train.candidates'],
      [bad({ multiLabels: Float32Array.from([2, 0, 0, 1]) }), 'INVALID_VALUE', 'train.multiLabels'],
      [
        bad({ softLabels: Float32Array.from([0.5, 0.2, 1, 0]) }),
        'NOT_A_DISTRIBUTION',
        'train.softLabels',
      ],
      [bad({ classNames: ['a'] }), 'INVALID_VALUE', 'train.classNames'],
      [good(), 'SHAPE_MISMATCH', 'train.numClasses', { numClasses: 3 }],
      [good(), 'SHAPE_MISMATCH', 'train.inputShape', { inputShape: [4] }],
      [bad({ labels: undefined }), 'INVALID_VALUE', 'train.labels', { requires: ['labels'] }],
    ];
    for (const [d, code, parameter, options] of cases) {
      let caught: { code?: string; parameter?: string; message?: string } | undefined;
      try {
        assertDataset(d, 'f', 'train', options);
      } catch (e) {
        caught = e as typeof caught;
      }
      expect(caught?.code, `${parameter}: ${caught?.message}`).toBe(code);
      expect(caught?.parameter).toBe(parameter);
    }
  });

  it('words the class-count mismatch with the reference', () => {
    expectTailwiseError(
      () =>
        assertDataset(good(), 'Trainer', 'test', { numClasses: 10, reference: 'the training set' }),
      'SHAPE_MISMATCH',
      'Trainer: expected `test.numClasses` to be 10 (as the training set), got 2',
    );
  });

  it('accepts an empty dataset with minSize 0', () => {
    const empty = {
      name: 'e',
      size: 0,
      inputShape: [3],
      features: new Float32Array(0),
      numClasses: 2,
    };
    expect(() => assertDataset(empty, 'f', 'unlabeled', { minSize: 0 })).not.toThrow();
  });
});
