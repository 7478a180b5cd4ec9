import { createRng, type Dataset, describeValue, fail } from '@tailwise/core';
import { type ArffEncoding, standardize, trainTestSplit } from '@tailwise/datasets';
import { loadArff, loadCsv, loadMultiLabelCsv } from '@tailwise/datasets/node';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseLabelColumns } from './label-columns';

/** `--data` options of `tailwise train|compare`, as parsed. */
export interface DataFileOptions {
  /** A CSV (`.csv`, `.csv.gz`, any other name) or ARFF (`.arff`, `.arff.gz`) file. */
  data?: string;
  /** The label column: a header name, a 0-based index, a negative index or `last`. */
  labelColumn?: string | number;
  /** A multi-label CSV's label columns (`0-13`, `0,2,5-7`, names): replaces `labelColumn`. */
  labelColumns?: (string | number)[];
  /** A test file in the same format and columns (instead of a split). */
  test?: string;
  /** Stratified test split of `--data`, in (0, 1). Default 0.25 when there is no `--test`. */
  testFraction?: number;
  /** Standardise features with the training split's mean and std. */
  standardize?: boolean;
  /** ARFF `?` values: refuse (default) or impute with an indicator column. */
  missing?: 'refuse' | 'impute';
  /** CSV delimiter. Default ','. */
  delimiter?: string;
}

/** The default test share of `--data` when neither `--test` nor `--test-fraction` is given. */
export const DEFAULT_TEST_FRACTION = 0.25;

/** `--label-column` text: `last` is -1, an integer is an index, anything else a column name. */
export function parseColumn(value: string): string | number {
  const v = value.trim();
  if (v === '')
    throw new InvalidArgumentError('expected a column name or index, got an empty value');
  if (v === 'last') return -1;
  return /^-?\d+$/.test(v) ? Number(v) : v;
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number for --test-fraction, got '${value}'`);
  return n;
}

/** Adds the `--data` family of options to a command (shared by train and compare). */
export function addDataFileOptions(command: Command): Command {
  return command
    .option(
      '--data <file>',
      'your own data: a CSV (.csv, .csv.gz) or ARFF (.arff, .arff.gz) file (instead of --dataset)',
    )
    .option(
      '--label-column <name|index>',
      'with --data: the label column (header name, 0-based index, -1 or "last"); ARFF: the class attribute (default "class", else the last)',
      parseColumn,
    )
    .option(
      '--label-columns <list>',
      'with a multi-label CSV: the label columns (0-based indices, ranges such as 0-13, or names); cells 1/0/true/false (or -1 unknown)',
      parseLabelColumns,
    )
    .option('--test <file>', 'with --data: a test file with the same columns (instead of a split)')
    .option(
      '--test-fraction <f>',
      `with --data: stratified test share, in (0, 1) (default ${DEFAULT_TEST_FRACTION})`,
      fraction,
    )
    .option(
      '--standardize',
      "with --data: scale features to zero mean, unit variance (training split's statistics)",
    )
    .addOption(
      new Option('--missing <policy>', "with an ARFF file: what '?' does").choices([
        'refuse',
        'impute',
      ]),
    )
    .option('--delimiter <char>', 'with a CSV file: the field separator (default ",")');
}

const isArff = (path: string) => /\.arff(\.gz)?$/i.test(path);

/** What {@link loadDataFile} returns: a training and a test set, and how they were made. */
export interface DataFile {
  train: Dataset;
  test: Dataset;
  /** E.g. `wine_data (file.csv), test 25 % split, standardised`. */
  description: string;
}

/**
 * Loads `--data` (and `--test`), splits off a stratified test set when there is no test file,
 * and standardises with the training split's statistics when asked. Every refusal is a
 * `TailwiseError` thrown before anything is written.
 */
export async function loadDataFile(o: DataFileOptions & { seed: number }): Promise<DataFile> {
  const fn = 'tailwise';
  const path = o.data;
  if (typeof path !== 'string' || path === '')
    fail('INVALID_OPTION', fn, '--data', 'a file path', describeValue(path));
  if (o.test !== undefined && o.testFraction !== undefined)
    fail(
      'INVALID_OPTION',
      fn,
      '--test-fraction',
      'absent when --test gives a test file',
      String(o.testFraction),
    );
  if (
    o.testFraction !== undefined &&
    !(Number.isFinite(o.testFraction) && o.testFraction > 0 && o.testFraction < 1)
  )
    fail('INVALID_OPTION', fn, '--test-fraction', 'a number in (0, 1)', String(o.testFraction));
  const arff = isArff(path);
  if (o.test !== undefined && isArff(o.test) !== arff)
    fail(
      'INVALID_OPTION',
      fn,
      '--test',
      `a file in the format of --data (${arff ? 'ARFF' : 'CSV'})`,
      o.test,
    );
  let all: Dataset;
  let testFile: Dataset | undefined;
  if (arff) {
    if (o.labelColumns !== undefined)
      fail(
        'INVALID_OPTION',
        fn,
        '--label-columns',
        'used with a multi-label CSV file only',
        o.labelColumns.join(','),
      );
    if (o.delimiter !== undefined)
      fail('INVALID_OPTION', fn, '--delimiter', 'used with a CSV file only', o.delimiter);
    const options = {
      ...(o.labelColumn === undefined ? {} : { labelAttribute: o.labelColumn }),
      ...(o.missing === undefined ? {} : { missing: o.missing }),
    };
    const train = await loadArff(path, options);
    all = train;
    if (o.test !== undefined)
      testFile = await loadArff(o.test, { encoding: train.encoding as ArffEncoding });
  } else if (o.labelColumns !== undefined) {
    if (o.missing !== undefined)
      fail('INVALID_OPTION', fn, '--missing', 'used with an ARFF file only', o.missing);
    if (o.labelColumn !== undefined)
      fail(
        'INVALID_OPTION',
        fn,
        '--label-columns',
        'absent when --label-column names a single-label column',
        o.labelColumns.join(','),
      );
    const csv = {
      labelColumns: o.labelColumns,
      ...(o.delimiter === undefined ? {} : { delimiter: o.delimiter }),
    };
    all = await loadMultiLabelCsv(path, csv);
    if (o.test !== undefined) testFile = await loadMultiLabelCsv(o.test, csv);
  } else {
    if (o.missing !== undefined)
      fail('INVALID_OPTION', fn, '--missing', 'used with an ARFF file only', o.missing);
    if (o.labelColumn === undefined)
      fail(
        'INVALID_OPTION',
        fn,
        '--label-column',
        'a column name, a 0-based index or "last" for a CSV file',
        'none',
      );
    const csv = {
      labelColumn: o.labelColumn,
      ...(o.delimiter === undefined ? {} : { delimiter: o.delimiter }),
    };
    all = await loadCsv(path, csv);
    if (o.test !== undefined)
      testFile = await loadCsv(o.test, { ...csv, classNames: all.classNames! });
  }
  const parts = [`${all.name} (${path})`];
  let train: Dataset;
  let test: Dataset;
  if (testFile !== undefined) {
    train = all;
    test = testFile;
    parts.push(`test file ${o.test}`);
  } else {
    const f = o.testFraction ?? DEFAULT_TEST_FRACTION;
    // Its own stream, so the split does not move when weak-label options change.
    // Multi-label data (no single class per row) split by rows, not by class.
    const split = trainTestSplit(all, {
      testFraction: f,
      stratify: all.labels !== undefined,
      rng: createRng(`${o.seed}:test-split`),
    });
    train = { ...split.train, name: all.name };
    test = split.test;
    parts.push(
      `${Math.round(f * 100)} % test split${all.labels === undefined ? ' (by rows)' : ''}`,
    );
  }
  if (o.standardize) {
    const s = standardize(train, { apply: [test] });
    train = s.train;
    test = s.apply[0];
    parts.push('standardised');
  }
  return { train, test, description: parts.join(', ') };
}
