import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRng, type Dataset } from '@tailwise/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { expectTailwiseError, expectTailwiseErrorAsync } from '../../../test/helpers';
import {
  classCounts,
  longTail,
  missingLabels,
  parseArff,
  parseCsv,
  partialLabels,
  semiSupervisedSplit,
  standardize,
  trainTestSplit,
} from '../src/index';
import { loadArff, loadCsv } from '../src/node';

const SKLEARN = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const noSklearn = !existsSync(join(SKLEARN, 'wine_data.csv'));
const dir = mkdtempSync(join(tmpdir(), 'tailwise-tabular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCsv', () => {
  it("header 'auto': a numeric first row is data, a named one a header", () => {
    const data = parseCsv('1.5,2,0\n3,4,1\n', { labelColumn: -1 });
    expect(data.size).toBe(2);
    expect(Array.from(data.features)).toEqual([1.5, 2, 3, 4]);
    expect(data.featureNames).toEqual(['column 0', 'column 1']);
    const named = parseCsv('a,b,y\n1.5,2,0\n3,4,1\n', { labelColumn: 'y' });
    expect(named.size).toBe(2);
    expect(named.featureNames).toEqual(['a', 'b']);
    // header: true forces the first row to be names, even when it is numeric.
    expect(parseCsv('1,2,3\n3,4,1\n', { labelColumn: 2, header: true }).size).toBe(1);
  });

  it('labels 1..7 become 7 classes named 1..7 (no empty class 0)', () => {
    const text = Array.from({ length: 7 }, (_, k) => `${k / 10},${k + 1}`).join('\n');
    const ds = parseCsv(text, { labelColumn: 1 });
    expect(ds.numClasses).toBe(7);
    expect(ds.classNames).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(classCounts(ds)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('sorts numeric labels numerically and treats 1 and 1.0 as one class', () => {
    const ds = parseCsv('x,y\n0,10\n1,9\n2,1.0\n3,1\n', { labelColumn: 'y' });
    expect(ds.classNames).toEqual(['1', '9', '10']);
    expect(Array.from(ds.labels!)).toEqual([2, 1, 0, 0]);
  });

  it('shares a class mapping through classNames and refuses unknown labels', () => {
    const train = parseCsv('x,y\n0,b\n1,c\n', { labelColumn: 'y' });
    expect(train.classNames).toEqual(['b', 'c']);
    const test = parseCsv('x,y\n5,c\n', { labelColumn: 'y', classNames: ['a', 'b', 'c'] });
    expect(Array.from(test.labels!)).toEqual([2]);
    expect(test.numClasses).toBe(3);
    expectTailwiseError(
      () => parseCsv('x,y\n5,d\n', { labelColumn: 'y', classNames: train.classNames! }),
      'INVALID_VALUE',
      /parseCsv: expected `y` to be a label among the classes \["b", "c"\], got "d" in row 0 \(line 2\), column 1/,
    );
  });

  it('hints at the delimiter when a file has one column', () => {
    expectTailwiseError(
      () => parseCsv('a;b;y\n1;2;0\n', { labelColumn: 'y' }),
      'INVALID_FORMAT',
      /parseCsv: expected `delimiter` to be a separator that splits each row into a label and at least one feature \(now ","\), got one column; the first row contains ";": pass `delimiter: ";"`/,
    );
  });

  it('names row, line and column for ragged rows and non-numeric cells', () => {
    expectTailwiseError(
      () => parseCsv('a,b,y\n1,2,0\n3,1\n', { labelColumn: 'y' }),
      'INVALID_FORMAT',
      /3 cells in every row \(as many as the header\), got 2 cells in row 1 \(line 3\)/,
    );
    expectTailwiseError(
      () => parseCsv('a,b,y\n1,2,0\n3,x7,1\n', { labelColumn: 'y' }),
      'INVALID_FORMAT',
      /expected `b` to be a number in every row, got "x7" in row 1 \(line 3\), column 1/,
    );
  });

  it('refuses a label column that does not exist, listing the columns', () => {
    expectTailwiseError(
      () => parseCsv('a,b,y\n1,2,0\n', { labelColumn: 'label' }),
      'INVALID_OPTION',
      /`labelColumn` to be a column name \(one of "a", "b", "y"\) or 0-based index, got "label", which is not a column/,
    );
    expectTailwiseError(
      () => parseCsv('1,2,0\n', { labelColumn: 3 }),
      'INVALID_OPTION',
      /`labelColumn` to be a column index in \[0, 2\] \(or -1 … -3 from the end\), got 3/,
    );
  });

  it("reads scikit-learn's header (n_samples, n_features, class names) by itself or when asked", () => {
    const text = '3,2,cat,dog\n1,2,0\n3,4,1\n5,6,1\n';
    for (const header of ['auto', 'sklearn'] as const) {
      const ds = parseCsv(text, { labelColumn: -1, header });
      expect(ds.size).toBe(3);
      expect(ds.classNames).toEqual(['cat', 'dog']);
      expect(Array.from(ds.labels!)).toEqual([0, 1, 1]);
      expect(Array.from(ds.features)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    // Counts that do not match the data: not a scikit-learn header.
    expectTailwiseError(
      () => parseCsv('4,2,cat,dog\n1,2,0\n3,4,1\n', { labelColumn: -1, header: 'sklearn' }),
      'INVALID_FORMAT',
      /`header` to be a scikit-learn first row/,
    );
    expectTailwiseError(
      () => parseCsv(text, { labelColumn: 0 }),
      'INVALID_OPTION',
      /the last column \(2 or -1\) of a scikit-learn file/,
    );
    expectTailwiseError(
      () => parseCsv('2,2,cat,dog\n1,2,0\n3,4,2\n', { labelColumn: -1 }),
      'INVALID_VALUE',
      /a class index in \[0, 1\] \(the header names 2 classes\), got "2" in row 1/,
    );
  });

  it('reads gzipped and plain bytes alike (gzip by magic number, browser-safe)', () => {
    expect(parseCsv(gzipSync('a,y\n1,0\n'), { labelColumn: 'y' }).size).toBe(1);
    expect(parseCsv(new TextEncoder().encode('a,y\n1,0\n'), { labelColumn: 'y' }).size).toBe(1);
  });
});

describe.skipIf(noSklearn)(
  "scikit-learn's data files (needs apt-get install python3-sklearn)",
  () => {
    const counts = (ds: Dataset) => classCounts(ds);
    it('wine: 178 × 13, classes class_0..2 with 59/71/48 rows', async () => {
      const wine = await loadCsv(join(SKLEARN, 'wine_data.csv'), { labelColumn: -1 });
      expect(wine.name).toBe('wine_data');
      expect([wine.size, ...wine.inputShape]).toEqual([178, 13]);
      expect(wine.classNames).toEqual(['class_0', 'class_1', 'class_2']);
      expect(counts(wine)).toEqual([59, 71, 48]);
      // Row 0 of the file: 14.23,1.71,…,1065,0
      expect(wine.features[0]).toBeCloseTo(14.23, 5);
      expect(wine.features[12]).toBe(1065);
    });
    it('breast cancer: 569 × 30, malignant 212 / benign 357', async () => {
      const bc = await loadCsv(join(SKLEARN, 'breast_cancer.csv'), { labelColumn: -1 });
      expect([bc.size, ...bc.inputShape]).toEqual([569, 30]);
      expect(bc.classNames).toEqual(['malignant', 'benign']);
      expect(counts(bc)).toEqual([212, 357]);
    });
    it('iris: 150 × 4, 50 per class', async () => {
      const iris = await loadCsv(join(SKLEARN, 'iris.csv'), { labelColumn: -1 });
      expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(counts(iris)).toEqual([50, 50, 50]);
    });
    it('digits (gzipped, no header): 1797 × 64, classes 0..9 counted independently', async () => {
      const path = join(SKLEARN, 'digits.csv.gz');
      const digits = await loadCsv(path, { labelColumn: -1 });
      expect([digits.size, ...digits.inputShape]).toEqual([1797, 64]);
      expect(digits.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n');
      const byHand = new Array(10).fill(0);
      for (const line of lines) byHand[Number(line.split(',').at(-1))] += 1;
      expect(counts(digits)).toEqual(byHand);
    });
  },
);

const TOY_ARFF = `% a comment
@relation 'toy set'
@attribute size NUMERIC
@attribute 'colour name' {red, 'dark green', blue}
@attribute class {yes, no, maybe}
@data
1.5, red, yes
% another comment
2.5, 'dark green', no
{0 4, 2 no}
`;

describe('parseArff', () => {
  it('one-hot encodes nominal attributes, reads quotes, comments and sparse rows', () => {
    const ds = parseArff(TOY_ARFF);
    expect(ds.name).toBe('toy set');
    expect(ds.featureNames).toEqual([
      'size',
      'colour name=red',
      'colour name=dark green',
      'colour name=blue',
    ]);
    expect(Array.from(ds.features)).toEqual([1.5, 1, 0, 0, 2.5, 0, 1, 0, 4, 1, 0, 0]);
    // 'maybe' never occurs: no empty class.
    expect(ds.classNames).toEqual(['yes', 'no']);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 1]);
    expect(ds.inputShape).toEqual([4]);
  });

  it('takes labelAttribute by name or index', () => {
    const ds = parseArff(TOY_ARFF, { labelAttribute: 'colour name' });
    expect(ds.classNames).toEqual(['red', 'dark green']);
    expect(ds.featureNames).toEqual(['size', 'class=yes', 'class=no', 'class=maybe']);
    expect(parseArff(TOY_ARFF, { labelAttribute: -1 }).classNames).toEqual(['yes', 'no']);
    expectTailwiseError(
      () => parseArff(TOY_ARFF, { labelAttribute: 'kind' }),
      'INVALID_OPTION',
      /`labelAttribute` to be an attribute name \(one of "size", "colour name", "class"\)/,
    );
  });

  const WITH_MISSING = `@relation m
@attribute a numeric
@attribute b {x, y}
@attribute class {p, q}
@data
1, x, p
?, y, q
5, ?, p
3, y, q
`;

  it('refuses ? by default, naming row and attribute', () => {
    expectTailwiseError(
      () => parseArff(WITH_MISSING),
      'INVALID_VALUE',
      /parseArff: expected `a` to be a value in every row \(or pass missing: 'impute'\), got \? in row 1 \(line 7\), attribute 0/,
    );
  });

  it("missing: 'impute' fills the mean / mode and adds indicator columns", () => {
    const ds = parseArff(WITH_MISSING, { missing: 'impute' });
    expect(ds.featureNames).toEqual(['a', 'a?', 'b=x', 'b=y', 'b?']);
    // mean of a over 1, 5, 3 = 3; mode of b over x, y, y = y
    expect(Array.from(ds.features)).toEqual([
      1, 0, 1, 0, 0, 3, 1, 0, 1, 0, 5, 0, 0, 1, 1, 3, 0, 0, 1, 0,
    ]);
    // A test file reuses the encoding: same columns, the training mean, no new indicator.
    const test = parseArff(
      `@relation m
@attribute a numeric
@attribute b {x, y}
@attribute class {p, q}
@data
?, x, q
`,
      { encoding: ds.encoding },
    );
    expect(test.featureNames).toEqual(ds.featureNames);
    expect(Array.from(test.features)).toEqual([3, 1, 1, 0, 0]);
    expect(Array.from(test.labels!)).toEqual([1]);
  });

  it('refuses unknown attribute types, undeclared values and ragged rows', () => {
    expectTailwiseError(
      () => parseArff('@relation r\n@attribute s string\n@attribute class {a}\n@data\nx,a\n'),
      'INVALID_FORMAT',
      /expected `s` to be an attribute of type numeric, real, integer or a nominal \{…\} list, got type "string" on line 2 \(string attributes are not supported/,
    );
    expectTailwiseError(
      () => parseArff('@relation r\n@attribute s complex\n@attribute class {a}\n@data\n1,a\n'),
      'INVALID_FORMAT',
      /got type "complex" on line 2$/,
    );
    expectTailwiseError(
      () => parseArff('@relation r\n@attribute s {u,v}\n@attribute class {a}\n@data\nw,a\n'),
      'INVALID_VALUE',
      /`s` to be one of the declared values \["u", "v"\], got "w" in row 0 \(line 5\), attribute 0/,
    );
    expectTailwiseError(
      () => parseArff('@relation r\n@attribute s numeric\n@attribute class {a}\n@data\n1\n'),
      'INVALID_FORMAT',
      /2 values in every row \(one per @attribute\), got 1 in row 0 \(line 5\)/,
    );
    expectTailwiseError(
      () => parseArff('@relation r\n@attribute s numeric\n@attribute class {a}\n@data\nq,a\n'),
      'INVALID_FORMAT',
      /`s` to be a finite number in every row \(a numeric attribute\), got "q" in row 0/,
    );
    expectTailwiseError(
      () => parseArff('@relation r\n@attribute s numeric\n@attribute class {a}\n'),
      'INVALID_FORMAT',
      /an ARFF header ending in @data/,
    );
  });

  it('loads a gzipped file by magic number and names the file in errors', async () => {
    const path = join(dir, 'toy.arff.gz');
    writeFileSync(path, gzipSync(TOY_ARFF));
    expect((await loadArff(path)).size).toBe(3);
    const bad = join(dir, 'bad.arff');
    writeFileSync(bad, '@relation r\n@attribute d date\n@attribute class {a}\n@data\n');
    await expectTailwiseErrorAsync(() => loadArff(bad), 'INVALID_FORMAT', /`d` \(.*bad\.arff\)/);
  });
});

describe('standardize', () => {
  const make = (rows: number[][], labels: number[]): Dataset => ({
    name: 't',
    size: rows.length,
    inputShape: [rows[0]!.length],
    features: Float32Array.from(rows.flat()),
    numClasses: 2,
    labels: Int32Array.from(labels),
  });

  it('uses training statistics only; a constant column becomes 0', () => {
    const train = make(
      [
        [1, 10],
        [3, 10],
      ],
      [0, 1],
    );
    const test = make([[2, 11]], [1]);
    const r = standardize(train, { apply: [test, undefined] });
    expect(Array.from(r.mean)).toEqual([2, 10]);
    expect(Array.from(r.scale)).toEqual([1, 1]);
    expect(Array.from(r.train.features)).toEqual([-1, 0, 1, 0]);
    expect(Array.from(r.apply[0].features)).toEqual([0, 1]);
    expect(r.apply[1]).toBeUndefined();
    expect(r.train.labels).toBe(train.labels);
  });

  it('gives every non-constant training column mean 0 and std 1 (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.integer({ min: -4000, max: 4000 }).map((v) => v / 4),
            { minLength: 3, maxLength: 3 },
          ),
          {
            minLength: 2,
            maxLength: 20,
          },
        ),
        (rows) => {
          const r = standardize(
            make(
              rows,
              rows.map(() => 0),
            ),
          );
          for (let j = 0; j < 3; j++) {
            const col = rows.map((_, i) => r.train.features[i * 3 + j]!);
            const mean = col.reduce((a, b) => a + b, 0) / col.length;
            const sd = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length);
            expect(Math.abs(mean)).toBeLessThan(1e-3);
            const constant = rows.every((row) => row[j] === rows[0]![j]);
            if (constant) expect(col.every((v) => v === 0)).toBe(true);
            else expect(Math.abs(sd - 1)).toBeLessThan(1e-3);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses another input shape', () => {
    const a = make([[1, 2]], [0]);
    const b = make([[1, 2, 3]], [0]);
    expectTailwiseError(
      () => standardize(a, { apply: [b] }),
      'SHAPE_MISMATCH',
      /standardize: expected `apply\[0\]` to be a dataset with the training inputShape \[2\], got inputShape \[3\]/,
    );
  });
});

describe('trainTestSplit', () => {
  const labels = [...new Array(20).fill(0), ...new Array(10).fill(1), ...new Array(5).fill(2)];
  const ds: Dataset = {
    name: 'v',
    size: labels.length,
    inputShape: [2],
    features: Float32Array.from(labels.flatMap((_, i) => [i, -i])),
    numClasses: 3,
    labels: Int32Array.from(labels),
    classNames: ['a', 'b', 'c'],
  };

  it('stratifies round(f·n_c) test rows per class, disjoint and covering, seeded', () => {
    const s = trainTestSplit(ds, { testFraction: 0.2, rng: createRng(1) });
    expect(classCounts(s.test)).toEqual([4, 2, 1]);
    expect(classCounts(s.train)).toEqual([16, 8, 4]);
    const all = [...s.trainIndices, ...s.testIndices].sort((a, b) => a - b);
    expect(all).toEqual(labels.map((_, i) => i));
    // Rows are copied with their features.
    s.testIndices.forEach((src, i) => {
      expect(s.test.features[2 * i]).toBe(src);
    });
    const again = trainTestSplit(ds, { testFraction: 0.2, rng: createRng(1) });
    expect(Array.from(again.testIndices)).toEqual(Array.from(s.testIndices));
    const other = trainTestSplit(ds, { testFraction: 0.2, rng: createRng(2) });
    expect(Array.from(other.testIndices)).not.toEqual(Array.from(s.testIndices));
    expect(classCounts(trainTestSplit(ds, { testPerClass: 3, rng: createRng(0) }).test)).toEqual([
      3, 3, 3,
    ]);
  });

  it('refuses a split that leaves a class with no test sample, naming the class', () => {
    expectTailwiseError(
      () => trainTestSplit(ds, { testFraction: 0.05, rng: createRng(0) }),
      'INVALID_OPTION',
      /trainTestSplit: expected `testFraction` to be a split that leaves every class at least one test and one training sample, got testFraction 0.05: class 2 \(c\) with 5 rows gets no test sample/,
    );
    expectTailwiseError(
      () => trainTestSplit(ds, { testPerClass: 5, rng: createRng(0) }),
      'INVALID_OPTION',
      /class 2 \(c\) with 5 rows gets no training sample/,
    );
  });

  it('refuses fractions outside (0, 1) and ambiguous options', () => {
    for (const f of [0, 1, 1.5, -0.1])
      expectTailwiseError(
        () => trainTestSplit(ds, { testFraction: f, rng: createRng(0) }),
        'INVALID_OPTION',
        /`testFraction`/,
      );
    expectTailwiseError(
      () => trainTestSplit(ds, { rng: createRng(0) }),
      'INVALID_OPTION',
      /exactly one of `testFraction` and `testPerClass`, got neither/,
    );
  });

  it('splits without stratification', () => {
    const s = trainTestSplit(ds, { testFraction: 0.4, stratify: false, rng: createRng(3) });
    expect(s.test.size).toBe(14);
    expect(s.train.size).toBe(21);
  });
});

describe('weak-label generators on feature vectors', () => {
  const n = [40, 30, 20, 10];
  const labels = n.flatMap((count, c) => new Array(count).fill(c));
  const vectors: Dataset = {
    name: 'vec',
    size: labels.length,
    inputShape: [3],
    features: Float32Array.from(labels.flatMap((c, i) => [i + 0.5, -c, i * 2.25])),
    numClasses: 4,
    labels: Int32Array.from(labels),
  };
  const rowOk = (ds: Dataset, i: number) => {
    const src = ds.features[i * 3]! - 0.5;
    expect(ds.features[i * 3 + 1]).toBe(-ds.labels![i]!);
    expect(ds.features[i * 3 + 2]).toBe(src * 2.25);
  };

  it('longTail, partialLabels and semiSupervisedSplit keep vector rows intact', () => {
    const lt = longTail(vectors, { gamma: 10, rng: createRng(0) });
    expect(lt.inputShape).toEqual([3]);
    expect(lt.features).toBeInstanceOf(Float32Array);
    expect(classCounts(lt)).toEqual([10, 4, 2, 1]);
    for (let i = 0; i < lt.size; i++) rowOk(lt, i);
    const pl = partialLabels(lt, { psi: 0.3, rng: createRng(1) });
    for (let i = 0; i < pl.size; i++) expect(pl.candidates![i * 4 + pl.labels![i]!]).toBe(1);
    const { labeled, unlabeled } = semiSupervisedSplit(vectors, {
      labeledFraction: 0.1,
      rng: createRng(2),
    });
    expect(classCounts(labeled)).toEqual([4, 3, 2, 1]);
    expect(unlabeled.size).toBe(90);
    for (let i = 0; i < labeled.size; i++) rowOk(labeled, i);
    for (let i = 0; i < unlabeled.size; i++) rowOk(unlabeled, i);
  });

  it('missingLabels hides multi-label entries of a vector dataset, keeping the features', () => {
    const c = 4;
    const multi: Dataset = {
      ...vectors,
      labels: undefined,
      multiLabels: Float32Array.from(
        labels.flatMap((k, i) =>
          Array.from({ length: c }, (_, j) => (j === k || (i + j) % 5 === 0 ? 1 : 0)),
        ),
      ),
    };
    const pal = missingLabels(multi, { setting: 'PAL', keep: 0.5, rng: createRng(4) });
    expect(pal.inputShape).toEqual([3]);
    expect(pal.features).toEqual(multi.features);
    const unknown = Array.from(pal.multiLabels!).filter((v) => v === -1).length;
    expect(unknown).toBeGreaterThan(0.3 * pal.multiLabels!.length);
    expect(unknown).toBeLessThan(0.7 * pal.multiLabels!.length);
    pal.multiLabels!.forEach((v, k) => {
      if (v !== -1) expect(v).toBe(multi.multiLabels![k]);
    });
  });
});

describe('trainTestSplit on multi-label data', () => {
  it('splits by rows with stratify: false (no labels needed), refuses stratification', () => {
    const n = 20;
    const ml = {
      name: 'ml',
      size: n,
      inputShape: [1],
      features: Float32Array.from({ length: n }, (_, i) => i),
      numClasses: 2,
      multiLabels: Float32Array.from({ length: 2 * n }, (_, k) => (k % 3 === 0 ? 1 : 0)),
    };
    const { train, test } = trainTestSplit(ml, {
      testFraction: 0.25,
      stratify: false,
      rng: createRng(1),
    });
    expect(test.size).toBe(5);
    expect(train.size).toBe(15);
    // every row lands on exactly one side, with its labels
    const seen = [...train.features, ...test.features].sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    test.features.forEach((f, r) => {
      expect(Array.from(test.multiLabels!.subarray(2 * r, 2 * r + 2))).toEqual(
        Array.from(ml.multiLabels.subarray(2 * f, 2 * f + 2)),
      );
    });
    expect(() => trainTestSplit(ml, { testFraction: 0.25, rng: createRng(1) })).toThrow(/labels/);
  });
});
