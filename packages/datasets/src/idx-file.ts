import { type IdxArray, parseIdx } from './idx';
import { readFileBytes } from './internal/node-io';

/**
 * Reads and decodes an IDX file (gzipped or raw) with {@link @tailwise/datasets!readIdx}.
 * A missing file is `NOT_FOUND` naming the path.
 *
 * @example
 * ```ts
 * const labels = await readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
 * ```
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  const bytes = await readFileBytes(path, 'readIdxFile', 'path');
  return parseIdx(bytes, 'readIdxFile', 'path', path);
}
