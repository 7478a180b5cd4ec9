import { InvalidArgumentError } from 'commander';

/**
 * `--label-columns` text → the label columns of a multi-label CSV: 0-based indices and inclusive
 * ranges (`0-13`, `0,2,5-7`), or header names (`a,b`). Ranges must ascend; an index may not repeat.
 *
 * @example
 * ```ts
 * parseLabelColumns('0-13'); // [0, 1, …, 13] (yeast's 14 labels)
 * ```
 */
export function parseLabelColumns(value: string): (string | number)[] {
  const parts = value.split(',').map((p) => p.trim());
  if (value.trim() === '' || parts.some((p) => p === ''))
    throw new InvalidArgumentError(
      `expected column indices, ranges (0-13) or names separated by commas, got '${value}'`,
    );
  const out: (string | number)[] = [];
  for (const p of parts) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(p);
    if (range) {
      const lo = Number(range[1]);
      const hi = Number(range[2]);
      if (hi < lo)
        throw new InvalidArgumentError(
          `expected an ascending range for --label-columns, got '${p}'`,
        );
      for (let k = lo; k <= hi; k++) out.push(k);
    } else if (/^\d+$/.test(p)) out.push(Number(p));
    else out.push(p);
  }
  if (new Set(out).size !== out.length)
    throw new InvalidArgumentError(`expected distinct columns for --label-columns, got '${value}'`);
  return out;
}
