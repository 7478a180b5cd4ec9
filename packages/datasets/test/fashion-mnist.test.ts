import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { expectTailwiseErrorAsync } from '../../../test/helpers';
import { classCounts } from '../src/index';
import {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_DIR,
  fashionMnistAvailable,
  loadFashionMnist,
} from '../src/node';

const available = fashionMnistAvailable();
const root = mkdtempSync(join(tmpdir(), 'tailwise-fashion-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** IDX bytes by hand: magic 00 00 08 ndim, big-endian dims, uint8 data. */
function idx(dims: number[], data: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = 0x08;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(data, 4 + 4 * dims.length);
  return out;
}

const SIDE = 28;
const trainPixels = Array.from({ length: 3 * SIDE * SIDE }, (_, i) => (i * 7) % 256);
const testPixels = Array.from({ length: 2 * SIDE * SIDE }, (_, i) => (i * 3) % 256);

/** A tiny Fashion-MNIST folder: 3 train and 2 test images of 28×28 pixels. */
function makeFolder(name: string, overrides: Record<string, Uint8Array | null> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir);
  const files: Record<string, Uint8Array | null> = {
    'train-images-idx3-ubyte.gz': gzipSync(idx([3, SIDE, SIDE], trainPixels)),
    'train-labels-idx1-ubyte.gz': gzipSync(idx([3], [9, 0, 3])),
    't10k-images-idx3-ubyte.gz': gzipSync(idx([2, SIDE, SIDE], testPixels)),
    't10k-labels-idx1-ubyte.gz': gzipSync(idx([2], [1, 8])),
    ...overrides,
  };
  for (const [file, bytes] of Object.entries(files))
    if (bytes !== null) writeFileSync(join(dir, file), bytes);
  return dir;
}

describe('loadFashionMnist on a hand-made folder', () => {
  it('reads images and labels into uint8 datasets with the class names', async () => {
    const dir = makeFolder('ok');
    expect(fashionMnistAvailable(dir)).toBe(true);
    const { train, test } = await loadFashionMnist({ dir });
    expect(train.name).toBe('fashion-mnist');
    expect(test.name).toBe('fashion-mnist-test');
    expect(train.size).toBe(3);
    expect(train.inputShape).toEqual([28, 28, 1]);
    expect(Array.from(train.features)).toEqual(trainPixels);
    expect(Array.from(train.labels!)).toEqual([9, 0, 3]);
    expect(Array.from(test.labels!)).toEqual([1, 8]);
    expect(test.features).toBeInstanceOf(Uint8Array);
    expect(train.classNames![9]).toBe('Ankle boot');
    expect(train.numClasses).toBe(10);
  });

  it('says NOT_FOUND with the path and the install command for a missing folder', async () => {
    const missing = join(root, 'does-not-exist');
    expect(fashionMnistAvailable(missing)).toBe(false);
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir: missing }),
      'NOT_FOUND',
      new RegExp(
        `loadFashionMnist: expected \`dir\` to be a folder with the Fashion-MNIST files, got ${missing}, which does not exist.*apt-get install dataset-fashion-mnist`,
      ),
    );
  });

  it('says NOT_FOUND naming a missing file', async () => {
    const dir = makeFolder('no-test-labels', { 't10k-labels-idx1-ubyte.gz': null });
    expect(fashionMnistAvailable(dir)).toBe(false);
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir }),
      'NOT_FOUND',
      new RegExp(
        `holding t10k-labels-idx1-ubyte\\.gz, got ${join(dir, 't10k-labels-idx1-ubyte.gz')}, which does not exist.*apt-get install dataset-fashion-mnist`,
      ),
    );
  });

  it('says INVALID_FORMAT for a truncated gzip file and for truncated IDX data', async () => {
    const gz = gzipSync(idx([3, 2, 2], new Array(12).fill(1)));
    const cut = makeFolder('cut-gz', {
      'train-images-idx3-ubyte.gz': gz.subarray(0, gz.length - 10),
    });
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir: cut }),
      'INVALID_FORMAT',
      /train-images-idx3-ubyte\.gz\) to be complete gzip data/,
    );
    const short = makeFolder('short-idx', {
      't10k-images-idx3-ubyte.gz': gzipSync(idx([2, 2, 2], [1, 2, 3])),
    });
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir: short }),
      'INVALID_FORMAT',
      /t10k-images-idx3-ubyte\.gz\) to be IDX data with 8 bytes of data for dims \[2, 2, 2\] of uint8, got 3 bytes/,
    );
  });

  it('refuses images that are not 28 × 28 (e.g. 27 × 27)', async () => {
    const small = makeFolder('small', {
      'train-images-idx3-ubyte.gz': gzipSync(idx([3, 27, 27], new Array(3 * 27 * 27).fill(0))),
    });
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir: small }),
      'INVALID_FORMAT',
      /train-images-idx3-ubyte\.gz\) to be Fashion-MNIST images of 28 × 28 pixels, got images of 27 × 27/,
    );
  });

  it('refuses images and labels of different counts, wrong ranks and labels out of range', async () => {
    const mismatch = makeFolder('mismatch', {
      'train-labels-idx1-ubyte.gz': gzipSync(idx([2], [1, 2])),
    });
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir: mismatch }),
      'INVALID_FORMAT',
      /train-labels-idx1-ubyte\.gz\) to be 3 labels, one per image .* got 2 labels/,
    );
    const flat = makeFolder('flat', {
      'train-images-idx3-ubyte.gz': gzipSync(idx([3, 4], new Array(12).fill(0))),
    });
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir: flat }),
      'INVALID_FORMAT',
      /uint8 images of rank 3 \[n, height, width\], got uint8 data of dims \[3, 4\]/,
    );
    const badLabel = makeFolder('bad-label', {
      't10k-labels-idx1-ubyte.gz': gzipSync(idx([2], [1, 10])),
    });
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ dir: badLabel }),
      'INVALID_VALUE',
      /class indices in \[0, 9\], got 10 at index 1/,
    );
  });

  it('refuses unknown options', async () => {
    await expectTailwiseErrorAsync(
      () => loadFashionMnist({ folder: root } as never),
      'INVALID_OPTION',
      /folder/,
    );
  });
});

describe('loadFashionMnist on the installed files', () => {
  it.skipIf(!available)(
    `reads the 70,000 images of ${FASHION_MNIST_DIR} (needs \`apt-get install dataset-fashion-mnist\`)`,
    async () => {
      const { train, test } = await loadFashionMnist();
      expect(train.size).toBe(60_000);
      expect(test.size).toBe(10_000);
      expect(train.inputShape).toEqual([28, 28, 1]);
      expect(train.features.length).toBe(60_000 * 784);
      expect(classCounts(train)).toEqual(new Array(10).fill(6000));
      expect(classCounts(test)).toEqual(new Array(10).fill(1000));
      expect(train.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
      expect(train.classNames).toEqual([
        'T-shirt/top',
        'Trouser',
        'Pullover',
        'Dress',
        'Coat',
        'Sandal',
        'Shirt',
        'Sneaker',
        'Bag',
        'Ankle boot',
      ]);
      // Independent read: gunzip and skip the 8-byte label header / 16-byte image header.
      const labels = gunzipSync(
        readFileSync(join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz')),
      ).subarray(8);
      expect(Array.from(test.labels!)).toEqual(Array.from(labels));
      const images = gunzipSync(
        readFileSync(join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz')),
      ).subarray(16);
      expect(test.features.subarray(784 * 9999)).toEqual(
        new Uint8Array(images.subarray(784 * 9999)),
      );
      expect(test.features.subarray(0, 784 * 3)).toEqual(
        new Uint8Array(images.subarray(0, 784 * 3)),
      );
    },
  );
});
