import { createRequire } from 'node:module';
import { createRng } from '@tailwise/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTailwiseError } from '../../../test/helpers';
import { classCounts, longTail, longTailCounts, type TrainTestSplit } from '../src/index';
import { loadMnist } from '../src/node';

// The package's own data, read independently of loadMnist: digit d's rows as [0, 1] values.
const mnist = createRequire(import.meta.url)('mnist') as { raw: number[]; length: number }[];

/** Row hashes (FNV-1a over the bytes) so two sets of images can be compared as multisets. */
function rowKeys(bytes: ArrayLike<number>, rows: number, labels: ArrayLike<number>): string[] {
  const keys: string[] = [];
  for (let r = 0; r < rows; r++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < 784; j++) h = Math.imul(h ^ bytes[r * 784 + j]!, 0x01000193) >>> 0;
    keys.push(`${labels[r]}:${h}`);
  }
  return keys;
}

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

let split: TrainTestSplit;
beforeAll(() => {
  split = loadMnist();
});

describe('loadMnist', () => {
  it('uses all 10,000 digits: train ∪ test is exactly the package data, as uint8 round(v·255)', () => {
    const { train, test } = split;
    expect(train.size + test.size).toBe(10_000);
    expect(train.size).toBe(8000);
    expect(test.size).toBe(2000);
    const expected: string[] = [];
    for (let d = 0; d < 10; d++) {
      const bytes = mnist[d]!.raw.map((v) => Math.round(v * 255));
      expected.push(...rowKeys(bytes, mnist[d]!.length, new Array(mnist[d]!.length).fill(d)));
    }
    const got = [
      ...rowKeys(train.features, train.size, train.labels!),
      ...rowKeys(test.features, test.size, test.labels!),
    ];
    expect(got.sort()).toEqual(expected.sort());
  });

  it('has the documented shapes, types and names', () => {
    for (const ds of [split.train, split.test]) {
      expect(ds.inputShape).toEqual([28, 28, 1]);
      expect(ds.features).toBeInstanceOf(Uint8Array);
      expect(ds.features.length).toBe(ds.size * 784);
      expect(ds.labels).toBeInstanceOf(Int32Array);
      expect(ds.numClasses).toBe(10);
      expect(ds.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    }
    expect(split.train.name).toBe('mnist');
    expect(split.test.name).toBe('mnist-test');
    // pixels reach both ends of the range
    expect(Math.max(...split.train.features.subarray(0, 784 * 50))).toBe(255);
    expect(Math.min(...split.train.features.subarray(0, 784 * 50))).toBe(0);
  });

  it('gives a class-balanced test set and leaves the rest for training', () => {
    expect(classCounts(split.test)).toEqual(new Array(10).fill(200));
    // package counts per digit minus 200 each
    expect(classCounts(split.train)).toEqual(mnist.map((d) => d.length - 200));
    expect(classCounts(split.train)).toEqual([801, 927, 791, 832, 780, 663, 814, 870, 744, 778]);
  });

  it('does not keep training rows sorted by class', () => {
    const first = Array.from(split.train.labels!.subarray(0, 100));
    expect(new Set(first).size).toBeGreaterThan(5);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const again = loadMnist();
    // Buffer.equals: vitest's deep equality walks typed arrays element by element (slow).
    expect(bytesOf(again.test.features).equals(bytesOf(split.test.features))).toBe(true);
    expect(bytesOf(again.train.features).equals(bytesOf(split.train.features))).toBe(true);
    expect(bytesOf(again.train.labels!).equals(bytesOf(split.train.labels!))).toBe(true);
    const other = loadMnist({ seed: 1, testPerClass: 50 });
    expect(other.test.size).toBe(500);
    expect(classCounts(other.test)).toEqual(new Array(10).fill(50));
    const a = new Set(rowKeys(split.test.features, split.test.size, split.test.labels!));
    const b = rowKeys(other.test.features, other.test.size, other.test.labels!);
    // 50 random of ~1000 per digit: about 10 of 500 expected in the seed-0 test set
    expect(b.filter((k) => a.has(k)).length).toBeLessThan(100);
  });

  it('feeds longTail: mnist-lt with the exponential counts of the smallest class', () => {
    const lt = longTail(split.train, { gamma: 100, rng: createRng(0) });
    expect(lt.name).toBe('mnist-lt');
    expect(classCounts(lt)).toEqual(longTailCounts(663, 10, 100));
  });

  it('refuses a testPerClass that leaves a digit without training data', () => {
    expectTailwiseError(
      () => loadMnist({ testPerClass: 863 }),
      'INVALID_OPTION',
      /loadMnist: expected `testPerClass` to be an integer in \[0, 862\] \(digit 5 has 863 samples and one must stay for training\), got 863/,
    );
    expectTailwiseError(() => loadMnist({ testPerClass: 2.5 }), 'INVALID_OPTION', /got 2\.5/);
    expectTailwiseError(() => loadMnist({ seed: -1 }), 'INVALID_OPTION', /`seed`/);
    expectTailwiseError(
      () => loadMnist({ testPerClas: 3 } as never),
      'INVALID_OPTION',
      /testPerClas/,
    );
  });
});
