import { type Dataset, describeValue, fail, withDefaults } from '@tailwise/core';
import { remapLabels } from './internal/class-labels';
import { splitCsvRecords } from './internal/csv-records';
import { failAt, maybeGunzip } from './internal/loaders-io';

/**
 * Where CSV data comes from in {@link @tailwise/datasets/node!loadCsv}: a string containing a line break is CSV text,
 * any other string is a file path, and bytes are the file's content. Gzipped bytes or `.gz`
 * files are gunzipped (detected by the gzip magic number, not the file name).
 */
export type CsvSource = string | Uint8Array;

/**
 * How the first row is read:
 * - `'auto'` (default): the first row is data when every cell reads as a number, a header
 *   otherwise; a scikit-learn header (see `'sklearn'`) is recognised by its counts.
 * - `true` / `false`: the first row names the columns / is data.
 * - `'sklearn'`: the first row of the CSV files scikit-learn ships (`wine_data.csv`,
 *   `breast_cancer.csv`, `iris.csv`): `n_samples, n_features, class name 0, class name 1, …`.
 *   It must agree with the data (n_samples rows of n_features + 1 cells, the label last, an
 *   integer class index 0..C−1 naming a class of the header); columns are named
 *   `column 0 … column n`. `'auto'` takes a first row for this header only when both counts
 *   match exactly.
 */
export type CsvHeader = 'auto' | boolean | 'sklearn';

/** Options shared by the CSV parsers and loaders. */
export interface CsvOptions {
  /** How to read the first row (see {@link CsvHeader}). Default `'auto'`. */
  header?: CsvHeader;
  /** One-character field separator. Default `','`. */
  delimiter?: string;
  /** Dataset name. Default: the file name without `.gz` / `.csv`, or `'csv'` for text. */
  name?: string;
}

/** Options of {@link @tailwise/datasets!parseCsv} and {@link @tailwise/datasets/node!loadCsv}. */
export interface ParseCsvOptions extends CsvOptions {
  /**
   * The column with the class: its header name, or its 0-based index (negative counts from the
   * end: `-1` is the last column). Required.
   */
  labelColumn: string | number;
  /**
   * The classes, in index order, e.g. the training file's `classNames` when reading its test
   * file, so both map a label to the same index. A label outside them is an error. Default:
   * the distinct labels found (see {@link @tailwise/datasets!parseCsv}).
   */
  classNames?: readonly string[];
}

/** Options of {@link @tailwise/datasets/node!loadCsv}. */
export type LoadCsvOptions = ParseCsvOptions;

/** A dataset read from a table: every feature column's name, in feature order. */
export interface TabularDataset extends Dataset {
  readonly featureNames: readonly string[];
}

/**
 * Which columns of a multi-label CSV are labels: header names or 0-based indices, the first
 * or last `n` columns, or a pattern that header names must match.
 */
export type LabelColumns =
  | readonly (string | number)[]
  | { readonly first: number }
  | { readonly last: number }
  | RegExp;

/** Options of {@link @tailwise/datasets!parseMultiLabelCsv} and {@link @tailwise/datasets/node!loadMultiLabelCsv}. */
export interface ParseMultiLabelCsvOptions extends CsvOptions {
  /** The label columns (see {@link LabelColumns}); every other column is a feature. Required. */
  labelColumns: LabelColumns;
}

/** Options of {@link @tailwise/datasets/node!loadMultiLabelCsv}. */
export type LoadMultiLabelCsvOptions = ParseMultiLabelCsvOptions;

/** Where the text came from, for names and error messages (set by the file loaders). */
export interface CsvOrigin {
  /** The file path, named in every error. */
  source?: string;
  /** The dataset name when `name` is not given. */
  defaultName?: string;
}

interface Table {
  names: string[];
  rows: string[][];
  /** 1-based line of each data row in the text, for error messages. */
  lines: number[];
  source: string | undefined;
  defaultName: string;
  hasNames: boolean;
  /** Class names of a scikit-learn header. */
  sklearnClasses?: string[];
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE_TEXT = /^[+-]?(nan|inf|infinity)$/i;
const isNumberCell = (cell: string) => {
  const t = cell.trim();
  return NUMBER_TEXT.test(t) || NON_FINITE_TEXT.test(t);
};

/** Decodes UTF-8 text (minus a byte-order mark); gzipped bytes are gunzipped first. */
export function decodeText(
  input: unknown,
  functionName: string,
  parameter: string,
  source?: string,
): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  if (input instanceof Uint8Array)
    return new TextDecoder('utf-8')
      .decode(maybeGunzip(input, functionName, parameter, source))
      .replace(/^\uFEFF/, '');
  return fail('INVALID_VALUE', functionName, parameter, 'text or bytes', describeValue(input));
}

function sklearnSignature(rows: readonly string[][]): boolean {
  const first = rows[0]!;
  if (rows.length < 2 || first.length < 3) return false;
  const [n, d] = [first[0]!.trim(), first[1]!.trim()];
  return (
    /^\d+$/.test(n) &&
    /^\d+$/.test(d) &&
    Number(n) === rows.length - 1 &&
    Number(d) === rows[1]!.length - 1 &&
    !first.slice(2).every(isNumberCell)
  );
}

function readTable(
  text: string,
  opts: Required<CsvOptions>,
  functionName: string,
  origin: CsvOrigin,
): Table {
  const source = origin.source;
  const { rows, lines } = splitCsvRecords(text, opts.delimiter, functionName, source);
  if (rows.length === 0)
    failAt(
      'INVALID_FORMAT',
      functionName,
      'source',
      source,
      'CSV data with at least one row',
      'no rows',
    );
  let mode: 'names' | 'none' | 'sklearn';
  if (opts.header === 'sklearn') {
    if (!sklearnSignature(rows)) {
      const first = rows[0]!;
      failAt(
        'INVALID_FORMAT',
        functionName,
        'header',
        source,
        `a scikit-learn first row "n_samples, n_features, class names…" matching the data (${rows.length - 1} rows of ${(rows[1]?.length ?? 1) - 1} features + the label)`,
        JSON.stringify(first.slice(0, 6).join(opts.delimiter)),
      );
    }
    mode = 'sklearn';
  } else if (opts.header === 'auto') {
    mode = sklearnSignature(rows) ? 'sklearn' : rows[0]!.every(isNumberCell) ? 'none' : 'names';
  } else mode = opts.header ? 'names' : 'none';
  const dataRows = mode === 'none' ? rows : rows.slice(1);
  const dataLines = mode === 'none' ? lines : lines.slice(1);
  if (dataRows.length === 0)
    failAt(
      'INVALID_FORMAT',
      functionName,
      'source',
      source,
      'CSV data with at least one data row',
      'only a header',
    );
  const width = mode === 'names' ? rows[0]!.length : dataRows[0]!.length;
  if (width < 2) {
    // One column usually means another separator: name the one the text seems to use.
    const sample = rows[0]![0]!;
    const guess = [';', '\t', '|', ' '].find((c) => sample.includes(c));
    failAt(
      'INVALID_FORMAT',
      functionName,
      'delimiter',
      source,
      `a separator that splits each row into a label and at least one feature (now ${JSON.stringify(opts.delimiter)})`,
      `one column${guess === undefined ? '' : `; the first row contains ${JSON.stringify(guess)}: pass \`delimiter: ${JSON.stringify(guess)}\``}`,
    );
  }
  const names =
    mode === 'names'
      ? rows[0]!.map((s) => s.trim())
      : Array.from({ length: width }, (_, i) => `column ${i}`);
  dataRows.forEach((row, r) => {
    if (row.length !== width) {
      failAt(
        'INVALID_FORMAT',
        functionName,
        'source',
        source,
        `CSV data with ${width} cells in every row${mode === 'names' ? ' (as many as the header)' : ''}`,
        `${row.length} cells in row ${r} (line ${dataLines[r]})`,
      );
    }
  });
  return {
    names,
    rows: dataRows,
    lines: dataLines,
    source,
    defaultName: origin.defaultName ?? 'csv',
    hasNames: mode === 'names',
    ...(mode === 'sklearn' ? { sklearnClasses: rows[0]!.slice(2).map((s) => s.trim()) } : {}),
  };
}

function resolveColumn(
  spec: unknown,
  names: readonly string[],
  header: boolean,
  functionName: string,
  parameter: string,
): number {
  if (typeof spec === 'number') {
    // A negative index counts from the end (-1 is the last column), as Python's.
    if (!Number.isInteger(spec) || spec < -names.length || spec >= names.length) {
      fail(
        'INVALID_OPTION',
        functionName,
        parameter,
        `a column index in [0, ${names.length - 1}] (or -1 … -${names.length} from the end)`,
        `${describeValue(spec)} (the data has ${names.length} columns)`,
      );
    }
    return spec < 0 ? names.length + spec : spec;
  }
  if (typeof spec === 'string' && header) {
    const index = names.indexOf(spec);
    if (index < 0)
      fail(
        'INVALID_OPTION',
        functionName,
        parameter,
        `a column name (one of ${names.map((n) => JSON.stringify(n)).join(', ')}) or 0-based index`,
        `${describeValue(spec)}, which is not a column`,
      );
    return index;
  }
  return fail(
    'INVALID_OPTION',
    functionName,
    parameter,
    header ? 'a column name or 0-based index' : 'a 0-based column index (the CSV has no header)',
    describeValue(spec),
  );
}

function resolveLabelColumns(
  spec: unknown,
  names: readonly string[],
  header: boolean,
  functionName: string,
): number[] {
  const parameter = 'labelColumns';
  const width = names.length;
  let columns: number[];
  if (spec instanceof RegExp) {
    if (!header)
      fail(
        'INVALID_OPTION',
        functionName,
        parameter,
        'column indices or { first } / { last } (the CSV has no header)',
        String(spec),
      );
    // Without the stateful g/y flags, test() answers the same for every name.
    const pattern = new RegExp(spec.source, spec.flags.replace(/[gy]/g, ''));
    columns = names.flatMap((name, i) => (pattern.test(name) ? [i] : []));
  } else if (Array.isArray(spec)) {
    columns = spec.map((s, k) =>
      resolveColumn(s, names, header, functionName, `${parameter}[${k}]`),
    );
  } else if (typeof spec === 'object' && spec !== null && ('first' in spec || 'last' in spec)) {
    const n =
      (spec as { first?: unknown; last?: unknown }).first ?? (spec as { last?: unknown }).last;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n >= width) {
      fail(
        'INVALID_OPTION',
        functionName,
        parameter,
        `{ first } or { last } with a count in [1, ${width - 1}]`,
        describeValue(n),
      );
    }
    const start = 'first' in spec ? 0 : width - n;
    columns = Array.from({ length: n }, (_, k) => start + k);
  } else {
    return fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      'column names or indices, { first: n }, { last: n } or a RegExp',
      describeValue(spec),
    );
  }
  if (columns.length === 0)
    fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      'a selection of at least one column',
      `none of ${describeValue(names)}`,
    );
  if (new Set(columns).size !== columns.length)
    fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      'distinct columns',
      describeValue(columns.map((c) => names[c])),
    );
  if (columns.length >= width)
    fail(
      'INVALID_OPTION',
      functionName,
      parameter,
      'a selection that leaves at least one feature column',
      `all ${width} columns`,
    );
  return columns;
}

function readFeatures(
  table: Table,
  columns: readonly number[],
  functionName: string,
): Float32Array {
  const { rows, lines, names, source } = table;
  const d = columns.length;
  const features = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let k = 0; k < d; k++) {
      const col = columns[k]!;
      const cell = row[col]!.trim();
      const where = `in row ${r} (line ${lines[r]}), column ${col}`;
      let v = Number(cell);
      if (cell === '' || (Number.isNaN(v) && !NON_FINITE_TEXT.test(cell))) {
        failAt(
          'INVALID_FORMAT',
          functionName,
          names[col]!,
          source,
          'a number in every row',
          `${cell === '' ? 'an empty cell' : JSON.stringify(cell)} ${where}`,
        );
      }
      if (NON_FINITE_TEXT.test(cell)) v = Number.NaN;
      // float32 overflow (|v| > 3.4e38) is non-finite too.
      if (!Number.isFinite(Math.fround(v))) {
        failAt(
          'NON_FINITE',
          functionName,
          names[col]!,
          source,
          'a finite number in every row',
          `${JSON.stringify(cell)} ${where}`,
        );
      }
      features[r * d + k] = v;
    }
  }
  return features;
}

function featureColumns(width: number, exclude: readonly number[]): number[] {
  const skip = new Set(exclude);
  return Array.from({ length: width }, (_, i) => i).filter((i) => !skip.has(i));
}

const CSV_DEFAULTS: Required<CsvOptions> = { header: 'auto', delimiter: ',', name: '' };

function checkCommon(opts: Required<CsvOptions>, functionName: string): void {
  if (typeof opts.header !== 'boolean' && opts.header !== 'auto' && opts.header !== 'sklearn')
    fail(
      'INVALID_OPTION',
      functionName,
      'header',
      "'auto', true, false or 'sklearn'",
      describeValue(opts.header),
    );
  if (
    typeof opts.delimiter !== 'string' ||
    opts.delimiter.length !== 1 ||
    /["\r\n]/.test(opts.delimiter)
  ) {
    fail(
      'INVALID_OPTION',
      functionName,
      'delimiter',
      'one character other than a quote or line break',
      describeValue(opts.delimiter),
    );
  }
  if (typeof opts.name !== 'string')
    fail('INVALID_OPTION', functionName, 'name', 'a string', describeValue(opts.name));
}

/**
 * Parses a multi-label CSV (text or bytes, gzipped or not; browser-safe): the label columns become
 * `multiLabels` (N × C, row-major) and every other column, in file order, a float32 feature;
 * `inputShape` is `[features]`, `classNames` the label columns' names. For the yeast file
 * (Elisseeff & Weston's yeast: 2417 rows, 14 labels first, 103 features) use
 * `{ labelColumns: { first: 14 } }`.
 *
 * Label cells: `1`/`true` (positive), `0`/`false` (negative), case-insensitive, and `-1`
 * (unknown, as in core's {@link Dataset} `multiLabels` convention).
 *
 * Errors: a feature cell that is NaN/±Inf (or overflows float32) is `NON_FINITE` naming its
 * column, row and line; an empty or non-numeric feature cell, ragged rows or unclosed quotes
 * are `INVALID_FORMAT`; a label cell of another value is `INVALID_VALUE`.
 *
 * @example
 * ```ts
 * const ds = parseMultiLabelCsv('a,b,x\n1,0,0.5\n0,1,2\n', { labelColumns: ['a', 'b'] });
 * ```
 * @returns plain typed arrays (no tensors).
 */
export function parseMultiLabelCsv(
  text: string | Uint8Array,
  options: ParseMultiLabelCsvOptions,
  origin: CsvOrigin = {},
): TabularDataset {
  return parseMultiLabel(text, options, origin, 'parseMultiLabelCsv');
}

/** @internal The shared body of {@link @tailwise/datasets!parseMultiLabelCsv} and the file loader. */
export function parseMultiLabel(
  text: string | Uint8Array,
  options: ParseMultiLabelCsvOptions,
  origin: CsvOrigin,
  fn: string,
): TabularDataset {
  const opts = withDefaults<Required<CsvOptions> & { labelColumns: LabelColumns | undefined }>(
    options,
    { ...CSV_DEFAULTS, labelColumns: undefined },
    fn,
  );
  checkCommon(opts, fn);
  if (opts.labelColumns === undefined) {
    fail(
      'INVALID_OPTION',
      fn,
      'labelColumns',
      'column names or indices, { first: n }, { last: n } or a RegExp',
      'undefined',
    );
  }
  const table = readTable(decodeText(text, fn, 'text', origin.source), opts, fn, origin);
  const labelCols = resolveLabelColumns(opts.labelColumns, table.names, table.hasNames, fn);
  const featureCols = featureColumns(table.names.length, labelCols);
  const features = readFeatures(table, featureCols, fn);
  const c = labelCols.length;
  const multiLabels = new Float32Array(table.rows.length * c);
  table.rows.forEach((row, r) => {
    for (let k = 0; k < c; k++) {
      const cell = row[labelCols[k]!]!.trim();
      const lower = cell.toLowerCase();
      const v =
        lower === 'true' ? 1 : lower === 'false' ? 0 : cell === '' ? Number.NaN : Number(cell);
      if (v !== 1 && v !== 0 && v !== -1) {
        failAt(
          'INVALID_VALUE',
          fn,
          table.names[labelCols[k]!]!,
          table.source,
          'a label of 1/true, 0/false or -1 (unknown) in every row',
          `${JSON.stringify(cell)} in row ${r} (line ${table.lines[r]}), column ${labelCols[k]}`,
        );
      }
      multiLabels[r * c + k] = v;
    }
  });
  return {
    name: opts.name || table.defaultName,
    size: table.rows.length,
    inputShape: [featureCols.length],
    features,
    numClasses: c,
    multiLabels,
    classNames: labelCols.map((i) => table.names[i]!),
    featureNames: featureCols.map((i) => table.names[i]!),
  };
}

/**
 * Parses a single-label numeric CSV (text or bytes, gzipped or not; browser-safe, no file
 * access): `labelColumn` becomes `labels` (Int32Array), every other column a float32 feature
 * (`inputShape [features]`, names in `featureNames`).
 *
 * Classes: whatever the label values are (integers, decimals, words), the classes are the
 * distinct labels that occur, mapped to 0..C−1 and named in `classNames` — numerically sorted
 * when every label is a number (`1..7` → 7 classes `'1'..'7'`, no empty class 0), sorted by
 * code unit otherwise, or in the header's order for a scikit-learn file. Pass the training
 * set's `classNames` when parsing its test file so both share the mapping.
 *
 * The first row is a header or data as {@link CsvHeader} says (`'auto'` by default: a first row
 * of numbers is data).
 *
 * Errors (`TailwiseError`, naming the file, row, line and column): ragged rows, an empty or
 * non-numeric feature cell and unclosed quotes are `INVALID_FORMAT`; NaN/±Inf feature cells
 * are `NON_FINITE`; an empty label cell is `INVALID_FORMAT`; a label outside `classNames` is
 * `INVALID_VALUE`; a `labelColumn` that is not a column is `INVALID_OPTION` listing the columns;
 * a text that splits into one column is `INVALID_FORMAT` suggesting a `delimiter`.
 *
 * @example
 * ```ts
 * const ds = parseCsv('x1,x2,kind\n0.5,1,b\n2,3,a\n', { labelColumn: 'kind' });
 * // ds.labels [1, 0], ds.classNames ['a', 'b'], ds.inputShape [2]
 * ```
 * @returns plain typed arrays (no tensors).
 */
export function parseCsv(
  text: string | Uint8Array,
  options: ParseCsvOptions,
  origin: CsvOrigin = {},
): TabularDataset {
  return parseSingleLabel(text, options, origin, 'parseCsv');
}

/** @internal The shared body of {@link @tailwise/datasets!parseCsv} and the file loader. */
export function parseSingleLabel(
  text: string | Uint8Array,
  options: ParseCsvOptions,
  origin: CsvOrigin,
  fn: string,
): TabularDataset {
  const opts = withDefaults<
    Required<CsvOptions> & {
      labelColumn: string | number | undefined;
      classNames: readonly string[] | undefined;
    }
  >(options, { ...CSV_DEFAULTS, labelColumn: undefined, classNames: undefined }, fn);
  checkCommon(opts, fn);
  if (opts.labelColumn === undefined)
    fail('INVALID_OPTION', fn, 'labelColumn', 'a column name or 0-based index', 'undefined');
  const table = readTable(decodeText(text, fn, 'text', origin.source), opts, fn, origin);
  const labelCol = resolveColumn(opts.labelColumn, table.names, table.hasNames, fn, 'labelColumn');
  if (table.sklearnClasses !== undefined && labelCol !== table.names.length - 1) {
    fail(
      'INVALID_OPTION',
      fn,
      'labelColumn',
      `the last column (${table.names.length - 1} or -1) of a scikit-learn file`,
      describeValue(opts.labelColumn),
    );
  }
  const featureCols = featureColumns(table.names.length, [labelCol]);
  const features = readFeatures(table, featureCols, fn);
  const labelName = table.names[labelCol]!;
  const where = (r: number) => `row ${r} (line ${table.lines[r]}), column ${labelCol}`;
  let cells = table.rows.map((row, r) => {
    const cell = row[labelCol]!.trim();
    if (cell === '') {
      failAt(
        'INVALID_FORMAT',
        fn,
        labelName,
        table.source,
        'a label in every row',
        `an empty cell in ${where(r)}`,
      );
    }
    return cell;
  });
  const sk = table.sklearnClasses;
  if (sk !== undefined) {
    // scikit-learn's label is an index into the header's class names.
    cells = cells.map((cell, r) => {
      if (!/^\d+$/.test(cell) || Number(cell) >= sk.length) {
        failAt(
          'INVALID_VALUE',
          fn,
          labelName,
          table.source,
          `a class index in [0, ${sk.length - 1}] (the header names ${sk.length} classes)`,
          `${JSON.stringify(cell)} in ${where(r)}`,
        );
      }
      return sk[Number(cell)]!;
    });
  }
  const { labels, classNames } = remapLabels(
    cells,
    { functionName: fn, parameter: labelName, source: table.source, where },
    opts.classNames,
    sk,
  );
  return {
    name: opts.name || table.defaultName,
    size: table.rows.length,
    inputShape: [featureCols.length],
    features,
    numClasses: classNames.length,
    labels,
    classNames,
    featureNames: featureCols.map((i) => table.names[i]!),
  };
}
