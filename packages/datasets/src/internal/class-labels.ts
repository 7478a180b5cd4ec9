import { describeValue, fail } from '@tailwise/core';
import { failAt } from './loaders-io';

/** A label text that reads as a number (so `1`, `1.0` and ` 1` are the same class). */
function numeric(text: string): number | undefined {
  if (text === '') return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
}

/** What {@link remapLabels} needs to say where a bad label is. */
export interface LabelContext {
  functionName: string;
  /** The label column or attribute, as named in errors. */
  parameter: string;
  source: string | undefined;
  /** Describes row r for errors, e.g. `row 3 (line 5)`. */
  where(r: number): string;
}

/**
 * Maps label texts to class indices 0..C−1 and names the classes.
 *
 * - `given` (e.g. the training file's `classNames` when reading its test file): exactly those
 *   classes in that order; a label outside them is an error.
 * - otherwise the classes are the distinct labels that occur, ordered by `declared` (an ARFF
 *   nominal list or sklearn's header) when there is one, else numerically when every label is a
 *   number, else by code unit. A class that never occurs is never created, so integer labels
 *   `1..7` become 7 classes named `'1'..'7'`, not 8 with an empty class 0.
 */
export function remapLabels(
  texts: readonly string[],
  context: LabelContext,
  given: readonly string[] | undefined,
  declared?: readonly string[],
): { labels: Int32Array; classNames: string[] } {
  const key = (t: string) => {
    const v = numeric(t);
    return v === undefined ? `s:${t}` : `n:${v}`;
  };
  let classNames: string[];
  if (given !== undefined) {
    if (!Array.isArray(given) || given.length === 0 || !given.every((g) => typeof g === 'string')) {
      fail(
        'INVALID_OPTION',
        context.functionName,
        'classNames',
        'a non-empty array of class names',
        describeValue(given),
      );
    }
    classNames = given.slice();
  } else {
    const present = new Set(texts.map(key));
    if (declared !== undefined) {
      classNames = declared.filter((d) => present.has(key(d)));
    } else {
      const distinct = new Map<string, string>();
      for (const t of texts) if (!distinct.has(key(t))) distinct.set(key(t), t);
      const values = [...distinct.values()];
      classNames = values.every((t) => numeric(t) !== undefined)
        ? values.sort((a, b) => numeric(a)! - numeric(b)!).map((t) => String(numeric(t)))
        : values.sort();
    }
  }
  const index = new Map<string, number>();
  classNames.forEach((name, k) => {
    if (!index.has(key(name))) index.set(key(name), k);
  });
  const labels = new Int32Array(texts.length);
  texts.forEach((t, r) => {
    const k = index.get(key(t));
    if (k === undefined) {
      failAt(
        'INVALID_VALUE',
        context.functionName,
        context.parameter,
        context.source,
        `a label among the classes ${describeValue(classNames)}`,
        `${JSON.stringify(t)} in ${context.where(r)}`,
      );
    }
    labels[r] = k;
  });
  return { labels, classNames };
}
