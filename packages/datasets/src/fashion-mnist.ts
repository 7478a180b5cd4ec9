import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertClassIndices,
  type Dataset,
  describeValue,
  fail,
  TailwiseError,
  withDefaults,
} from '@tailwise/core';
import { type IdxArray, parseIdx } from './idx';
import { failAt } from './internal/loaders-io';
import { readFileBytes } from './internal/node-io';
import type { TrainTestSplit } from './mnist';

/** Where Debian's `dataset-fashion-mnist` package installs the files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Class names of Fashion-MNIST, by label index. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
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
];

const FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

const INSTALL_HINT =
  '; install it with `apt-get install dataset-fashion-mnist` (Debian/Ubuntu) or pass `dir`';

/** Options of {@link loadFashionMnist}. */
export interface LoadFashionMnistOptions {
  /** Folder with the four gzipped IDX files. Default `/usr/share/datasets/fashion-mnist`. */
  dir?: string;
}

/**
 * True when `dir` (default `/usr/share/datasets/fashion-mnist`) holds the four Fashion-MNIST
 * files. Synchronous, for `it.skipIf(!fashionMnistAvailable())` and CLI checks.
 *
 * @example
 * ```ts
 * if (!fashionMnistAvailable()) console.log('apt-get install dataset-fashion-mnist');
 * ```
 */
export function fashionMnistAvailable(dir: string = FASHION_MNIST_DIR): boolean {
  return Object.values(FILES).every((f) => {
    const path = join(dir, f);
    return existsSync(path) && statSync(path).isFile();
  });
}

/**
 * Loads Fashion-MNIST (Xiao et al., 2017: 60,000 training and 10,000 test 28×28 grey images
 * of 10 clothing classes) from the gzipped IDX files that Debian's `dataset-fashion-mnist`
 * installs: `train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte.gz`,
 * `t10k-images-idx3-ubyte.gz`, `t10k-labels-idx1-ubyte.gz`.
 *
 * Pixels stay uint8 (`inputShape [h, w, 1]` from the file, `[28, 28, 1]`), rows in file order,
 * `classNames` {@link FASHION_MNIST_CLASS_NAMES}. Names `'fashion-mnist'` and
 * `'fashion-mnist-test'`.
 *
 * Errors: a missing folder or file is `NOT_FOUND` naming the path and the install command; a
 * truncated or malformed file is `INVALID_FORMAT` (see {@link @tailwise/datasets!readIdx}); images and labels of
 * different counts or of the wrong rank/type are `INVALID_FORMAT`; labels outside 0..9 are
 * `INVALID_VALUE`.
 *
 * @example
 * ```ts
 * const { train, test } = await loadFashionMnist();
 * const lt = longTail(train, { gamma: 100, rng: createRng(0), order: 'permuted' });
 * ```
 * @returns plain typed arrays (no tensors).
 */
export async function loadFashionMnist(
  options: LoadFashionMnistOptions = {},
): Promise<TrainTestSplit> {
  const fn = 'loadFashionMnist';
  const { dir } = withDefaults<Required<LoadFashionMnistOptions>>(
    options,
    { dir: FASHION_MNIST_DIR },
    fn,
  );
  if (typeof dir !== 'string' || dir.length === 0)
    fail('INVALID_OPTION', fn, 'dir', 'a folder path', describeValue(dir));
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new TailwiseError(
      'NOT_FOUND',
      `${fn}: expected \`dir\` to be a folder with the Fashion-MNIST files, got ${dir}, which does not exist${INSTALL_HINT}`,
      {
        functionName: fn,
        parameter: 'dir',
      },
    );
  }
  const read = async (file: string): Promise<IdxArray> => {
    const path = join(dir, file);
    const bytes = await readFileBytes(path, fn, 'dir', {
      expected: `a folder holding ${file}`,
      hint: INSTALL_HINT,
    });
    return parseIdx(bytes, fn, 'dir', path);
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    read(FILES.trainImages),
    read(FILES.trainLabels),
    read(FILES.testImages),
    read(FILES.testLabels),
  ]);
  return {
    train: toDataset(
      'fashion-mnist',
      trainImages,
      trainLabels,
      join(dir, FILES.trainImages),
      join(dir, FILES.trainLabels),
    ),
    test: toDataset(
      'fashion-mnist-test',
      testImages,
      testLabels,
      join(dir, FILES.testImages),
      join(dir, FILES.testLabels),
    ),
  };
}

function toDataset(
  name: string,
  images: IdxArray,
  labels: IdxArray,
  imagesPath: string,
  labelsPath: string,
): Dataset {
  const fn = 'loadFashionMnist';
  if (images.dtype !== 'uint8' || images.dims.length !== 3) {
    failAt(
      'INVALID_FORMAT',
      fn,
      'dir',
      imagesPath,
      'uint8 images of rank 3 [n, height, width]',
      `${images.dtype} data of dims [${images.dims.join(', ')}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.dims.length !== 1) {
    failAt(
      'INVALID_FORMAT',
      fn,
      'dir',
      labelsPath,
      'uint8 labels of rank 1 [n]',
      `${labels.dtype} data of dims [${labels.dims.join(', ')}]`,
    );
  }
  const [n, h, w] = images.dims as [number, number, number];
  if (h !== 28 || w !== 28) {
    failAt(
      'INVALID_FORMAT',
      fn,
      'dir',
      imagesPath,
      'Fashion-MNIST images of 28 × 28 pixels',
      `images of ${h} × ${w}`,
    );
  }
  if (labels.dims[0] !== n) {
    failAt(
      'INVALID_FORMAT',
      fn,
      'dir',
      labelsPath,
      `${n} labels, one per image in ${imagesPath}`,
      `${labels.dims[0]} labels`,
    );
  }
  const classes = Int32Array.from(labels.data);
  assertClassIndices(classes, FASHION_MNIST_CLASS_NAMES.length, fn, labelsPath);
  return {
    name,
    size: n,
    inputShape: [h, w, 1],
    features: images.data,
    numClasses: FASHION_MNIST_CLASS_NAMES.length,
    labels: classes,
    classNames: FASHION_MNIST_CLASS_NAMES.slice(),
  };
}
