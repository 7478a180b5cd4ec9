import { type ArffDataset, type ParseArffOptions, parseArffAs } from './arff';
import { readSource } from './csv-file';

/**
 * Loads an ARFF file (Node), bytes or text: {@link @tailwise/datasets!parseArff} on the content, gunzipped when
 * it carries the gzip magic number. Errors name the file; a missing file is `NOT_FOUND`.
 *
 * @example
 * ```ts
 * const soybean = await loadArff('soybean.arff', { missing: 'impute' });
 * const test = await loadArff('soybean-test.arff', { encoding: soybean.encoding });
 * ```
 * @returns plain typed arrays (no tensors).
 */
export async function loadArff(
  source: string | Uint8Array,
  options: ParseArffOptions = {},
): Promise<ArffDataset> {
  const { text, source: path } = await readSource(source, 'loadArff');
  return parseArffAs(text, options, path === undefined ? {} : { source: path }, 'loadArff');
}
