import { basename } from 'node:path';
import { type Dataset, describeValue, fail, withDefaults } from '@tailwise/core';
import { failAt, maybeGunzip } from './internal/loaders-io';
import { readFileBytes } from './internal/node-io';

/**
 * Where CSV data comes from: a string containing a line break is CSV text, any other string
 * is a file path, and bytes are the file's content. Gzipped bytes or `.gz` files are
 * gunzipped (detected by the gzip magic number, not the file name).
 */
export type CsvSource = string | Uint8Array;

/** Options shared by the CSV loaders. */
export interface CsvOptions {
  /** The first row names the columns. Default `true`. */
  header?: boolean;
  /** One-character field separator. Default `','`. */
  delimiter?: string;
  /** Dataset name. Default: the file name without `.gz` / `.csv`, or `'csv'` for text. */
  name?: string;
}

/** Options of {@link loadCsv}. */
export interface LoadCsvOptions extends CsvOptions {
  /** The column with the class: its header name, or its 0-based index. Required. */
  labelColumn: string | number;
  /** Number of classes for integer labels. Default: largest label + 1. */
  numClasses?: number;
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

/** Options of {@link loadMultiLabelCsv}. */
export interface LoadMultiLabelCsvOptions extends CsvOptions {
  /** The label columns (see {@link LabelColumns}); every other column is a feature. Required. */
  labelColumns: LabelColumns;
}

interface Table {
  names: string[];
  rows: string[][];
  /** 1-based line of each data row in the text, for error messages. */
  lines: number[];
  source: string | undefined;
  defaultName: string;
}

async function readTable(
  input: unknown,
  opts: Required<CsvOptions>,
  functionName: string,
): Promise<Table> {
  let text: string;
  let source: string | undefined;
  let defaultName = 'csv';
  if (input instanceof Uint8Array) {
    text = decode(maybeGunzip(input, functionName, 'source'));
  } else if (typeof input === 'string' && /[\r\n]/.test(input)) {
    text = input;
  } else if (typeof input === 'string' && input.length > 0) {
    source = input;
    defaultName =
      basename(input)
        .replace(/\.gz$/i, '')
        .replace(/\.(csv|tsv|txt)$/i, '') || 'csv';
    text = decode(
      maybeGunzip(
        await readFileBytes(input, functionName, 'source'),
        functionName,
        'source',
        source,
      ),
    );
  } else {
    fail(
      'INVALID_VALUE',
      functionName,
      'source',
      'CSV text, a file path or bytes',
      describeValue(input),
    );
  }
  const { rows, lines } = parseCsv(text, opts.delimiter, functionName, source);
  if (rows.length === 0)
    failAt(
      'INVALID_FORMAT',
      functionName,
      'source',
      source,
      'CSV data with at least one row',
      'no rows',
    );
  const width = rows[0]!.length;
  const names = opts.header
    ? rows[0]!.map((s) => s.trim())
    : Array.from({ length: width }, (_, i) => `column ${i}`);
  const dataRows = opts.header ? rows.slice(1) : rows;
  const dataLines = opts.header ? lines.slice(1) : lines;
  if (dataRows.length === 0)
    failAt(
      'INVALID_FORMAT',
      functionName,
      'source',
      source,
      'CSV data with at least one data row',
      'only a header',
    );
  dataRows.forEach((row, r) => {
    if (row.length !== width) {
      failAt(
        'INVALID_FORMAT',
        functionName,
        'source',
        source,
        `CSV data with ${width} cells in every row`,
        `${row.length} cells in row ${r} (line ${dataLines[r]})`,
      );
    }
  });
  return { names, rows: dataRows, lines: dataLines, source, defaultName };
}

function decode(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

/** Splits CSV text into rows of cells (RFC 4180: quoted cells, doubled quotes, CRLF or LF). */
function parseCsv(
  text: string,
  delimiter: string,
  functionName: string,
  source: string | undefined,
): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const record: string[] = [];
    const startLine = line;
    let quotedAny = false;
    for (;;) {
      let value: string;
      if (text[i] === '"') {
        quotedAny = true;
        let j = i + 1;
        value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            failAt(
              'INVALID_FORMAT',
              functionName,
              'source',
              source,
              'CSV data whose quotes are closed',
              `a quote opened on line ${line} and never closed`,
            );
          }
          value += text.slice(j, q);
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        for (const ch of value) if (ch === '\n') line++;
        const next = text[i];
        if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
          failAt(
            'INVALID_FORMAT',
            functionName,
            'source',
            source,
            'CSV data with a delimiter or line end after each closing quote',
            `${JSON.stringify(next)} on line ${line}`,
          );
        }
      } else {
        let j = i;
        while (j < n) {
          const ch = text[j];
          if (ch === delimiter || ch === '\n' || ch === '\r') break;
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      record.push(value);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    // A blank line is no record.
    if (quotedAny || record.length > 1 || record[0]!.trim() !== '') {
      rows.push(record);
      lines.push(startLine);
    }
  }
  return { rows, lines };
}

function resolveColumn(
  spec: unknown,
  names: readonly string[],
  header: boolean,
  functionName: string,
  parameter: string,
): number {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 0 || spec >= names.length) {
      fail(
        'INVALID_OPTION',
        functionName,
        parameter,
        `a column index in [0, ${names.length - 1}]`,
        describeValue(spec),
      );
    }
    return spec;
  }
  if (typeof spec === 'string' && header) {
    const index = names.indexOf(spec);
    if (index < 0)
      fail(
        'INVALID_OPTION',
        functionName,
        parameter,
        `a column name (one of ${describeValue(names)})`,
        describeValue(spec),
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

const NON_FINITE_TEXT = /^[+-]?(nan|inf|infinity)$/i;

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
      const where = `in row ${r} (line ${lines[r]})`;
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

const CSV_DEFAULTS: Required<CsvOptions> = { header: true, delimiter: ',', name: '' };

function checkCommon(opts: Required<CsvOptions>, functionName: string): void {
  if (typeof opts.header !== 'boolean')
    fail('INVALID_OPTION', functionName, 'header', 'a boolean', describeValue(opts.header));
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
 * Loads a multi-label CSV: the label columns become `multiLabels` (N × C, row-major) and every
 * other column, in file order, a float32 feature; `inputShape` is `[features]`,
 * `classNames` the label columns' names. For `/work/shared/data/yeast.csv.gz` (Elisseeff &
 * Weston's yeast: 2417 rows, 14 labels first, 103 features) use `{ labelColumns: { first: 14 } }`.
 *
 * Label cells: `1`/`true` (positive), `0`/`false` (negative), case-insensitive, and `-1`
 * (unknown, as in core's {@link Dataset} `multiLabels` convention).
 *
 * Errors: a feature cell that is NaN/±Inf (or overflows float32) is `NON_FINITE` naming its
 * column, row and line; an empty or non-numeric feature cell, ragged rows or unclosed quotes
 * are `INVALID_FORMAT`; a label cell of another value is `INVALID_VALUE`; a missing file is
 * `NOT_FOUND`.
 *
 * @example
 * ```ts
 * const yeast = await loadMultiLabelCsv('/work/shared/data/yeast.csv.gz', { labelColumns: { first: 14 } });
 * // yeast.size 2417, yeast.inputShape [103], yeast.numClasses 14
 * ```
 * @returns plain typed arrays (no tensors).
 */
export async function loadMultiLabelCsv(
  source: CsvSource,
  options: LoadMultiLabelCsvOptions,
): Promise<Dataset> {
  const fn = 'loadMultiLabelCsv';
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
  const table = await readTable(source, opts, fn);
  const labelCols = resolveLabelColumns(opts.labelColumns, table.names, opts.header, fn);
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
          `${JSON.stringify(cell)} in row ${r} (line ${table.lines[r]})`,
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
  };
}

/**
 * Loads a single-label numeric CSV: `labelColumn` becomes `labels` (Int32Array), every other
 * column a float32 feature (`inputShape [features]`).
 *
 * Labels that are all non-negative integers are used as class indices (`numClasses` = the
 * option, or the largest label + 1). Otherwise each distinct label text is a class, in sorted
 * order, and `classNames` lists them.
 *
 * Errors as {@link loadMultiLabelCsv}; an empty label cell is `INVALID_FORMAT`; a label at or
 * above the given `numClasses` is `INVALID_OPTION`.
 *
 * @example
 * ```ts
 * const iris = await loadCsv('iris.csv', { labelColumn: 'species' }); // classNames ['setosa', …]
 * ```
 * @returns plain typed arrays (no tensors).
 */
export async function loadCsv(source: CsvSource, options: LoadCsvOptions): Promise<Dataset> {
  const fn = 'loadCsv';
  const opts = withDefaults<
    Required<CsvOptions> & {
      labelColumn: string | number | undefined;
      numClasses: number | undefined;
    }
  >(options, { ...CSV_DEFAULTS, labelColumn: undefined, numClasses: undefined }, fn);
  checkCommon(opts, fn);
  if (opts.labelColumn === undefined)
    fail('INVALID_OPTION', fn, 'labelColumn', 'a column name or 0-based index', 'undefined');
  const table = await readTable(source, opts, fn);
  const labelCol = resolveColumn(opts.labelColumn, table.names, opts.header, fn, 'labelColumn');
  if (table.names.length < 2)
    fail(
      'INVALID_OPTION',
      fn,
      'labelColumn',
      'a column of a CSV that also has feature columns',
      'the only column',
    );
  const featureCols = featureColumns(table.names.length, [labelCol]);
  const features = readFeatures(table, featureCols, fn);
  const cells = table.rows.map((row, r) => {
    const cell = row[labelCol]!.trim();
    if (cell === '') {
      failAt(
        'INVALID_FORMAT',
        fn,
        table.names[labelCol]!,
        table.source,
        'a label in every row',
        `an empty cell in row ${r} (line ${table.lines[r]})`,
      );
    }
    return cell;
  });
  const labels = new Int32Array(cells.length);
  let numClasses: number;
  let classNames: string[] | undefined;
  if (cells.every((c) => /^\d+$/.test(c))) {
    let max = 0;
    cells.forEach((c, i) => {
      labels[i] = Number(c);
      max = Math.max(max, labels[i]!);
    });
    numClasses = opts.numClasses ?? max + 1;
    if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses <= max) {
      fail(
        'INVALID_OPTION',
        fn,
        'numClasses',
        `an integer > ${max} (the largest label)`,
        describeValue(opts.numClasses),
      );
    }
  } else {
    classNames = [...new Set(cells)].sort();
    const index = new Map(classNames.map((name, k) => [name, k]));
    cells.forEach((c, i) => {
      labels[i] = index.get(c)!;
    });
    numClasses = classNames.length;
    if (opts.numClasses !== undefined && opts.numClasses !== numClasses) {
      fail(
        'INVALID_OPTION',
        fn,
        'numClasses',
        `${numClasses} (the distinct text labels) or undefined`,
        describeValue(opts.numClasses),
      );
    }
  }
  return {
    name: opts.name || table.defaultName,
    size: table.rows.length,
    inputShape: [featureCols.length],
    features,
    numClasses,
    labels,
    ...(classNames === undefined ? {} : { classNames }),
  };
}
