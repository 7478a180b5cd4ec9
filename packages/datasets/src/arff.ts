import { describeValue, fail, withDefaults } from '@tailwise/core';
import type { TabularDataset } from './csv';
import { decodeText } from './csv';
import { remapLabels } from './internal/class-labels';
import { failAt } from './internal/loaders-io';

/** One attribute of an ARFF header. */
export type ArffAttribute =
  | { readonly name: string; readonly type: 'numeric' }
  | { readonly name: string; readonly type: 'nominal'; readonly values: readonly string[] };

/**
 * How an ARFF file's attributes became features: enough to parse another file (its test split)
 * into the same columns with the same imputed values. Returned as `encoding` by
 * {@link @tailwise/datasets!parseArff}; pass it back as the `encoding` option.
 */
export interface ArffEncoding {
  readonly attributes: readonly ArffAttribute[];
  /** Index of the class attribute. */
  readonly labelIndex: number;
  readonly classNames: readonly string[];
  readonly missing: 'refuse' | 'impute';
  /**
   * Per attribute, the value a `?` becomes: the mean (numeric) or the index of the most
   * frequent value (nominal) over the rows of the file that made the encoding.
   */
  readonly fill: readonly number[];
  /** Attributes (indices) that have a missing-value indicator column. */
  readonly indicators: readonly number[];
  readonly featureNames: readonly string[];
}

/** A dataset read from ARFF: the features, labels and the {@link ArffEncoding} that made them. */
export interface ArffDataset extends TabularDataset {
  readonly relation: string;
  readonly encoding: ArffEncoding;
}

/** Options of {@link @tailwise/datasets!parseArff} and {@link @tailwise/datasets/node!loadArff}. */
export interface ParseArffOptions {
  /**
   * The class attribute: its name or 0-based index (negative counts from the end). Default:
   * the attribute named `class` (any case), else the last attribute.
   */
  labelAttribute?: string | number;
  /**
   * What a `?` in a feature does: `'refuse'` (default) throws naming row and attribute;
   * `'impute'` fills it with the attribute's mean (numeric) or most frequent value (nominal)
   * and adds an indicator feature `name?` (1 where the value was missing) for every attribute
   * with a missing value.
   */
  missing?: 'refuse' | 'impute';
  /**
   * The encoding of a file parsed before (its training split): the same columns, classes,
   * filled values and indicator columns, so the two datasets line up. The attributes must
   * match.
   */
  encoding?: ArffEncoding;
  /** Dataset name. Default: the `@relation` name. */
  name?: string;
}

/** Where the text came from (set by the file loader). */
export interface ArffOrigin {
  source?: string;
}

interface Cell {
  text: string;
  quoted: boolean;
}

/** Splits `text` at `sep` outside quotes (ARFF quotes with ' or ", backslash escapes). */
function splitQuoted(text: string, sep: string, fail_: (what: string) => never): Cell[] {
  const cells: Cell[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    let value = '';
    let quoted = false;
    if (text[i] === "'" || text[i] === '"') {
      const q = text[i]!;
      quoted = true;
      i++;
      while (i < n && text[i] !== q) {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i];
        i++;
      }
      if (i >= n) fail_(`a closing ${q}`);
      i++;
      while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i < n && text[i] !== sep) fail_(`${JSON.stringify(sep)} after a quoted value`);
    } else {
      const j = text.indexOf(sep, i);
      const end = j < 0 ? n : j;
      value = text.slice(i, end).trim();
      i = end;
    }
    cells.push({ text: value, quoted });
    if (i < n && text[i] === sep) {
      i++;
      continue;
    }
    return cells;
  }
}

/** Reads a (possibly quoted) name at the start of `text`; returns it and the rest. */
function takeName(text: string): [string, string] | undefined {
  const t = text.trimStart();
  if (t[0] === "'" || t[0] === '"') {
    const q = t[0];
    let i = 1;
    let name = '';
    while (i < t.length && t[i] !== q) {
      if (t[i] === '\\' && i + 1 < t.length) i++;
      name += t[i];
      i++;
    }
    if (i >= t.length) return undefined;
    return [name, t.slice(i + 1)];
  }
  const m = /^(\S+)(.*)$/s.exec(t);
  return m ? [m[1]!, m[2]!] : undefined;
}

const NUMERIC_TYPES = new Set(['numeric', 'real', 'integer']);

interface Header {
  relation: string;
  attributes: ArffAttribute[];
  /** 0-based index into `lines` of the first data line. */
  dataStart: number;
}

function readHeader(lines: readonly string[], fn: string, source: string | undefined): Header {
  let relation = '';
  const attributes: ArffAttribute[] = [];
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!.trim();
    if (line === '' || line.startsWith('%')) continue;
    const lower = line.toLowerCase();
    const at = `line ${l + 1}`;
    if (lower.startsWith('@relation')) {
      relation = takeName(line.slice(9))?.[0] ?? '';
    } else if (lower.startsWith('@attribute')) {
      const named = takeName(line.slice(10));
      if (named === undefined || named[0] === '')
        failAt(
          'INVALID_FORMAT',
          fn,
          'text',
          source,
          '@attribute <name> <type>',
          `${JSON.stringify(line)} on ${at}`,
        );
      const [name, rest] = named;
      const type = rest.trim();
      if (type.startsWith('{')) {
        const close = type.lastIndexOf('}');
        if (close < 0)
          failAt(
            'INVALID_FORMAT',
            fn,
            name,
            source,
            'a nominal list closed by }',
            `${JSON.stringify(type)} on ${at}`,
          );
        const values = splitQuoted(type.slice(1, close), ',', (what) =>
          failAt('INVALID_FORMAT', fn, name, source, what, `${JSON.stringify(type)} on ${at}`),
        ).map((c) => c.text);
        if (values.length === 0 || values.some((v) => v === ''))
          failAt(
            'INVALID_FORMAT',
            fn,
            name,
            source,
            'a nominal list of non-empty values',
            `${JSON.stringify(type)} on ${at}`,
          );
        attributes.push({ name, type: 'nominal', values });
      } else {
        const word = type.split(/\s/)[0]!.toLowerCase();
        if (!NUMERIC_TYPES.has(word)) {
          const known = ['string', 'date', 'relational'].includes(word)
            ? ` (${word} attributes are not supported: drop or encode them)`
            : '';
          failAt(
            'INVALID_FORMAT',
            fn,
            name,
            source,
            'an attribute of type numeric, real, integer or a nominal {…} list',
            `type ${JSON.stringify(type.split(/\s/)[0])} on ${at}${known}`,
          );
        }
        attributes.push({ name, type: 'numeric' });
      }
    } else if (lower.startsWith('@data')) {
      if (attributes.length < 2)
        failAt(
          'INVALID_FORMAT',
          fn,
          'text',
          source,
          'at least two @attribute lines (a class and a feature) before @data',
          `${attributes.length} on ${at}`,
        );
      return { relation, attributes, dataStart: l + 1 };
    } else {
      failAt(
        'INVALID_FORMAT',
        fn,
        'text',
        source,
        'an @relation, @attribute or @data line in the header',
        `${JSON.stringify(line.slice(0, 60))} on ${at}`,
      );
    }
  }
  return failAt(
    'INVALID_FORMAT',
    fn,
    'text',
    source,
    'an ARFF header ending in @data',
    'no @data line',
  );
}

function resolveLabel(spec: unknown, attributes: readonly ArffAttribute[], fn: string): number {
  const n = attributes.length;
  if (spec === undefined) {
    const byName = attributes.findIndex((a) => a.name.toLowerCase() === 'class');
    return byName >= 0 ? byName : n - 1;
  }
  if (typeof spec === 'number' && Number.isInteger(spec) && spec >= -n && spec < n)
    return spec < 0 ? n + spec : spec;
  if (typeof spec === 'string') {
    const i = attributes.findIndex((a) => a.name === spec);
    if (i >= 0) return i;
  }
  return fail(
    'INVALID_OPTION',
    fn,
    'labelAttribute',
    `an attribute name (one of ${attributes.map((a) => JSON.stringify(a.name)).join(', ')}) or an index in [0, ${n - 1}]`,
    describeValue(spec),
  );
}

function sameAttributes(a: readonly ArffAttribute[], b: readonly ArffAttribute[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      if (x.name !== y.name || x.type !== y.type) return false;
      return (
        x.type !== 'nominal' ||
        (y.type === 'nominal' &&
          x.values.length === y.values.length &&
          x.values.every((v, k) => v === y.values[k]))
      );
    })
  );
}

/**
 * Parses Weka's ARFF text (or its bytes, gzipped or not; browser-safe, no file access) into a
 * single-label dataset.
 *
 * - **Attributes.** `numeric` / `real` / `integer` become one float32 feature each; a nominal
 *   attribute `{v1, …, vk}` becomes k one-hot features named `name=v1 … name=vk` (in declared
 *   order; an unknown value is an error). `string`, `date` and `relational` attributes are
 *   refused (`INVALID_FORMAT` naming the attribute and line), as is any other type.
 * - **Class.** `labelAttribute` (default: the attribute named `class`, else the last). A
 *   nominal class keeps its declared order, without values that never occur; a numeric class
 *   is remapped like {@link @tailwise/datasets!parseCsv}'s labels. A `?` class is an error.
 * - **Missing values** (`?`): refused by default; `missing: 'impute'` fills numeric
 *   attributes with their mean and nominal ones with their most frequent value, and adds an
 *   indicator feature `name?` after the attribute's columns.
 * - Rows may be dense (`1.5,red,?`) or sparse (`{0 1.5, 2 red}`: omitted values are 0, or the
 *   first declared value of a nominal attribute); `%` starts a comment line; quotes are ' or ".
 *
 * The result carries `encoding`: pass it to parse the matching test file into the same
 * columns (`parseArff(testText, { encoding: train.encoding })`).
 *
 * @example
 * ```ts
 * const ds = parseArff(`@relation toy
 * @attribute size numeric
 * @attribute colour {red, green}
 * @attribute class {yes, no}
 * @data
 * 1.5, red, yes
 * ?, green, no`, { missing: 'impute' });
 * // featureNames ['size', 'size?', 'colour=red', 'colour=green'], classNames ['yes', 'no']
 * ```
 * @returns plain typed arrays (no tensors).
 */
export function parseArff(
  text: string | Uint8Array,
  options: ParseArffOptions = {},
  origin: ArffOrigin = {},
): ArffDataset {
  return parseArffAs(text, options, origin, 'parseArff');
}

/** @internal The body of {@link @tailwise/datasets!parseArff} and the file loader. */
export function parseArffAs(
  text: string | Uint8Array,
  options: ParseArffOptions,
  origin: ArffOrigin,
  fn: string,
): ArffDataset {
  const opts = withDefaults<{
    labelAttribute: string | number | undefined;
    missing: 'refuse' | 'impute';
    encoding: ArffEncoding | undefined;
    name: string;
  }>(options, { labelAttribute: undefined, missing: 'refuse', encoding: undefined, name: '' }, fn);
  if (opts.missing !== 'refuse' && opts.missing !== 'impute')
    fail('INVALID_OPTION', fn, 'missing', "'refuse' or 'impute'", describeValue(opts.missing));
  if (typeof opts.name !== 'string')
    fail('INVALID_OPTION', fn, 'name', 'a string', describeValue(opts.name));
  const source = origin.source;
  const lines = decodeText(text, fn, 'text', source).split(/\r\n|\n|\r/);
  const header = readHeader(lines, fn, source);
  const { attributes } = header;
  const enc = opts.encoding;
  if (enc !== undefined) {
    if (typeof enc !== 'object' || enc === null || !Array.isArray(enc.attributes))
      fail(
        'INVALID_OPTION',
        fn,
        'encoding',
        'the `encoding` of a parsed ARFF dataset',
        describeValue(enc),
      );
    if (!sameAttributes(enc.attributes, attributes))
      failAt(
        'INVALID_FORMAT',
        fn,
        'encoding',
        source,
        'a file with the attributes of the encoding',
        `attributes ${describeValue(attributes.map((a) => a.name))}, encoded ${describeValue(enc.attributes.map((a) => a.name))}`,
      );
  }
  const labelIndex = enc?.labelIndex ?? resolveLabel(opts.labelAttribute, attributes, fn);
  const missing = enc?.missing ?? opts.missing;

  // Rows as attribute-value texts (undefined = missing), with their line numbers.
  const rows: (string | undefined)[][] = [];
  const rowLines: number[] = [];
  for (let l = header.dataStart; l < lines.length; l++) {
    const line = lines[l]!.trim();
    if (line === '' || line.startsWith('%')) continue;
    const at = `line ${l + 1}`;
    const bad = (what: string): never =>
      failAt(
        'INVALID_FORMAT',
        fn,
        'text',
        source,
        what,
        `${JSON.stringify(line.slice(0, 60))} on ${at}`,
      );
    const values: (string | undefined)[] = new Array(attributes.length);
    if (line.startsWith('{')) {
      if (!line.endsWith('}')) bad('a sparse row closed by }');
      attributes.forEach((a, i) => {
        values[i] = a.type === 'nominal' ? a.values[0] : '0';
      });
      const body = line.slice(1, -1).trim();
      if (body !== '')
        for (const entry of splitQuoted(body, ',', bad)) {
          const m = /^(\d+)\s+(.*)$/s.exec(entry.text);
          if (!m || Number(m[1]) >= attributes.length)
            bad(`sparse entries "index value" with an index in [0, ${attributes.length - 1}]`);
          const v = m![2]!.trim().replace(/^(['"])(.*)\1$/s, '$2');
          values[Number(m![1])] = v === '?' ? undefined : v;
        }
    } else {
      const cells = splitQuoted(line, ',', bad);
      if (cells.length !== attributes.length)
        failAt(
          'INVALID_FORMAT',
          fn,
          'text',
          source,
          `${attributes.length} values in every row (one per @attribute)`,
          `${cells.length} in row ${rows.length} (${at})`,
        );
      cells.forEach((c, i) => {
        values[i] = !c.quoted && c.text === '?' ? undefined : c.text;
      });
    }
    rows.push(values);
    rowLines.push(l + 1);
  }
  if (rows.length === 0)
    failAt(
      'INVALID_FORMAT',
      fn,
      'text',
      source,
      'ARFF data with at least one row after @data',
      'none',
    );
  const where = (r: number) => `row ${r} (line ${rowLines[r]})`;

  // Numbers per attribute (NaN = missing): numeric values, or the nominal value's index.
  const n = rows.length;
  const coded = attributes.map((a, i) => {
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const v = rows[r]![i];
      if (v === undefined) {
        if (i === labelIndex)
          failAt('INVALID_VALUE', fn, a.name, source, 'a class in every row', `? in ${where(r)}`);
        if (missing === 'refuse')
          failAt(
            'INVALID_VALUE',
            fn,
            a.name,
            source,
            "a value in every row (or pass missing: 'impute')",
            `? in ${where(r)}, attribute ${i}`,
          );
        out[r] = Number.NaN;
      } else if (a.type === 'numeric') {
        const x = v.trim() === '' ? Number.NaN : Number(v);
        if (!Number.isFinite(Math.fround(x)))
          failAt(
            'INVALID_FORMAT',
            fn,
            a.name,
            source,
            'a finite number in every row (a numeric attribute)',
            `${JSON.stringify(v)} in ${where(r)}, attribute ${i}`,
          );
        out[r] = x;
      } else if (i !== labelIndex) {
        const k = a.values.indexOf(v);
        if (k < 0)
          failAt(
            'INVALID_VALUE',
            fn,
            a.name,
            source,
            `one of the declared values ${describeValue(a.values)}`,
            `${JSON.stringify(v)} in ${where(r)}, attribute ${i}`,
          );
        out[r] = k;
      }
    }
    return out;
  });

  // Labels.
  const labelAttr = attributes[labelIndex]!;
  const { labels, classNames } = remapLabels(
    rows.map((row) => row[labelIndex]!),
    { functionName: fn, parameter: labelAttr.name, source, where },
    enc?.classNames,
    labelAttr.type === 'nominal' ? labelAttr.values : undefined,
  );

  // Imputed values and indicator columns come from the encoding's file.
  const fill =
    enc?.fill ??
    attributes.map((a, i) => {
      if (i === labelIndex) return Number.NaN;
      const col = coded[i]!;
      if (a.type === 'numeric') {
        let sum = 0;
        let count = 0;
        for (const x of col)
          if (!Number.isNaN(x)) {
            sum += x;
            count++;
          }
        // An attribute missing everywhere has no mean: 0 (with its indicator always 1).
        return count > 0 ? sum / count : 0;
      }
      const counts = new Array<number>(a.values.length).fill(0);
      for (const x of col) if (!Number.isNaN(x)) counts[x]! += 1;
      return counts.indexOf(Math.max(...counts));
    });
  const indicators =
    enc?.indicators ??
    attributes.flatMap((_, i) => (i !== labelIndex && coded[i]!.some(Number.isNaN) ? [i] : []));
  const hasIndicator = new Set(indicators);

  const featureNames: string[] = [];
  attributes.forEach((a, i) => {
    if (i === labelIndex) return;
    if (a.type === 'numeric') featureNames.push(a.name);
    else for (const v of a.values) featureNames.push(`${a.name}=${v}`);
    if (hasIndicator.has(i)) featureNames.push(`${a.name}?`);
  });
  const d = featureNames.length;
  const features = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    let j = r * d;
    attributes.forEach((a, i) => {
      if (i === labelIndex) return;
      const raw = coded[i]![r]!;
      const isMissing = Number.isNaN(raw);
      const x = isMissing ? fill[i]! : raw;
      if (a.type === 'numeric') features[j++] = x;
      else {
        features[j + x] = 1;
        j += a.values.length;
      }
      if (hasIndicator.has(i)) features[j++] = isMissing ? 1 : 0;
    });
  }
  const encoding: ArffEncoding = enc ?? {
    attributes,
    labelIndex,
    classNames,
    missing,
    fill,
    indicators,
    featureNames,
  };
  return {
    name: opts.name || header.relation || 'arff',
    relation: header.relation,
    size: n,
    inputShape: [d],
    features,
    numClasses: classNames.length,
    labels,
    classNames,
    featureNames,
    encoding,
  };
}
