import { basename } from 'node:path';
import { describeValue, fail } from '@tailwise/core';
import {
  type CsvSource,
  type LoadCsvOptions,
  type LoadMultiLabelCsvOptions,
  parseMultiLabel,
  parseSingleLabel,
  type TabularDataset,
} from './csv';
import { maybeGunzip } from './internal/loaders-io';
import { readFileBytes } from './internal/node-io';

// Node-only: reads files (and gunzips by magic number), then hands the text to the
// browser-safe parsers in ./csv.

async function readSource(
  input: unknown,
  functionName: string,
): Promise<{ text: string | Uint8Array; source?: string; defaultName?: string }> {
  if (input instanceof Uint8Array) return { text: maybeGunzip(input, functionName, 'source') };
  if (typeof input === 'string' && /[\r\n]/.test(input)) return { text: input };
  if (typeof input === 'string' && input.length > 0) {
    const defaultName =
      basename(input)
        .replace(/\.gz$/i, '')
        .replace(/\.(csv|tsv|txt|arff)$/i, '') || undefined;
    const bytes = maybeGunzip(
      await readFileBytes(input, functionName, 'source'),
      functionName,
      'source',
      input,
    );
    return { text: bytes, source: input, ...(defaultName ? { defaultName } : {}) };
  }
  return fail(
    'INVALID_VALUE',
    functionName,
    'source',
    'text, a file path or bytes',
    describeValue(input),
  );
}

/** @internal Reads a path, bytes or text for the file loaders (ARFF too). */
export { readSource };

/**
 * Loads a single-label numeric CSV from a file (Node), bytes or text: {@link @tailwise/datasets!parseCsv} on the
 * content, gunzipped when it carries the gzip magic number. Errors name the file; a missing
 * file is `NOT_FOUND`.
 *
 * @example
 * ```ts
 * const wine = await loadCsv('/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv',
 *   { labelColumn: -1 }); // scikit-learn header recognised: classNames ['class_0', …]
 * ```
 * @returns plain typed arrays (no tensors).
 */
export async function loadCsv(source: CsvSource, options: LoadCsvOptions): Promise<TabularDataset> {
  const { text, ...origin } = await readSource(source, 'loadCsv');
  return parseSingleLabel(text, options, origin, 'loadCsv');
}

/**
 * Loads a multi-label CSV from a file (Node), bytes or text: {@link @tailwise/datasets!parseMultiLabelCsv} on the
 * content, gunzipped when it carries the gzip magic number.
 *
 * @example
 * ```ts
 * const yeast = await loadMultiLabelCsv('yeast.csv.gz', { labelColumns: { first: 14 } });
 * // yeast.size 2417, yeast.inputShape [103], yeast.numClasses 14
 * ```
 * @returns plain typed arrays (no tensors).
 */
export async function loadMultiLabelCsv(
  source: CsvSource,
  options: LoadMultiLabelCsvOptions,
): Promise<TabularDataset> {
  const { text, ...origin } = await readSource(source, 'loadMultiLabelCsv');
  return parseMultiLabel(text, options, origin, 'loadMultiLabelCsv');
}
