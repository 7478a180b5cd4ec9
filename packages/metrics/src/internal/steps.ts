// The private steps every single-label metric shares: the pure functions and the accumulating
// classes both call these, so each formula exists once (torchmetrics' design).

/** Adds a batch to a row-major C × C count matrix (rows = true class, columns = predicted). */
export function addConfusion(
  counts: Float64Array,
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  numClasses: number,
): void {
  for (let i = 0; i < labels.length; i++) counts[labels[i]! * numClasses + predictions[i]!]! += 1;
}

/** Number of positions where `predictions` equals `labels`. */
export function countCorrect(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === predictions[i]) correct++;
  return correct;
}

/** Correct and total per true class, read off a count matrix. */
export interface ClassTallies {
  correct: number[];
  support: number[];
}

export function talliesFromConfusion(counts: Float64Array, numClasses: number): ClassTallies {
  const correct: number[] = [];
  const support: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    let row = 0;
    for (let p = 0; p < numClasses; p++) row += counts[c * numClasses + p]!;
    correct.push(counts[c * numClasses + c]!);
    support.push(row);
  }
  return { correct, support };
}

/** `correct / total`. Callers make sure `total > 0`. */
export function accuracyFromCounts(correct: number, total: number): number {
  return correct / total;
}

/** Per-class accuracy (recall); `null` for a class with no sample (never NaN). */
export function perClassFromTallies(t: ClassTallies): (number | null)[] {
  return t.correct.map((c, i) => (t.support[i]! > 0 ? accuracyFromCounts(c, t.support[i]!) : null));
}

/** Mean of the non-null values; `null` when there is none. */
export function meanOfPresent(values: ArrayLike<number | null>): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

/** Classes ordered by training count, descending; ties by class index, ascending. */
export function classesByCountDescending(trainCounts: ArrayLike<number>): number[] {
  return Array.from({ length: trainCounts.length }, (_, c) => c).sort(
    (a, b) => trainCounts[b]! - trainCounts[a]! || a - b,
  );
}

/** The k classes with the fewest training samples; ties by class index (lower index first). */
export function rarestClassIndices(trainCounts: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: trainCounts.length }, (_, c) => c)
    .sort((a, b) => trainCounts[a]! - trainCounts[b]! || a - b)
    .slice(0, k);
}

/** Many / medium / few class groups (docs/methods/000-plr.md). */
export interface ShotGroups {
  many: number[];
  medium: number[];
  few: number[];
}

export function shotGroupsOf(trainCounts: ArrayLike<number>): ShotGroups {
  const order = classesByCountDescending(trainCounts);
  const c = order.length;
  // docs/methods/000-plr.md / paper 000 §4: many = first ⌊C/3⌋, few = last C − ⌊2C/3⌋, medium = the rest.
  const manyEnd = Math.floor(c / 3);
  const fewStart = Math.floor((2 * c) / 3);
  return {
    many: order.slice(0, manyEnd),
    medium: order.slice(manyEnd, fewStart),
    few: order.slice(fewStart),
  };
}

/**
 * Average precision of one column of row-major N × C labels and scores (tied scores form one
 * threshold, so the result does not depend on the order of tied samples). `null` when the
 * column has no positive.
 */
export function averagePrecisionOfColumn(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  rows: number,
  cols: number,
  column: number,
): number | null {
  const order = new Int32Array(rows);
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    order[i] = i;
    if (labels[i * cols + column] === 1) positives++;
  }
  if (positives === 0) return null;
  order.sort((a, b) => scores[b * cols + column]! - scores[a * cols + column]! || a - b);
  let tp = 0;
  let seen = 0;
  let sum = 0;
  let i = 0;
  while (i < rows) {
    const threshold = scores[order[i]! * cols + column]!;
    let groupPositives = 0;
    while (i < rows && scores[order[i]! * cols + column] === threshold) {
      if (labels[order[i]! * cols + column] === 1) groupPositives++;
      seen++;
      i++;
    }
    tp += groupPositives;
    // every positive at this threshold contributes the precision there
    if (groupPositives > 0) sum += groupPositives * (tp / seen);
  }
  return sum / positives;
}

/** mAP over the columns with at least one positive; the others are reported, not averaged. */
export interface MeanAveragePrecisionResult {
  /** Mean of the per-class APs over classes with at least one positive. */
  value: number;
  /** AP per class; `null` for a class with no positive. */
  perClass: (number | null)[];
  /** Classes left out of the mean because they have no positive. */
  excludedClasses: number[];
}

export function meanAveragePrecisionOf(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  rows: number,
  cols: number,
): Omit<MeanAveragePrecisionResult, 'value'> & { value: number | null } {
  const perClass: (number | null)[] = [];
  const excludedClasses: number[] = [];
  for (let c = 0; c < cols; c++) {
    const ap = averagePrecisionOfColumn(labels, scores, rows, cols, c);
    perClass.push(ap);
    if (ap === null) excludedClasses.push(c);
  }
  return { value: meanOfPresent(perClass), perClass, excludedClasses };
}

/** Result of `shotGroupAccuracy`. */
export interface ShotGroupAccuracyResult {
  /** Sample accuracy over all test samples: correct / N. */
  overall: number;
  /** Mean of the per-class accuracies of the many-shot classes (`null` if none has a test sample). */
  many: number | null;
  medium: number | null;
  few: number | null;
  /** Sample-weighted accuracy per group: correct / test samples of the group's classes. */
  sampleWeighted: { many: number | null; medium: number | null; few: number | null };
  /** The classes of each group, most frequent in training first. */
  groups: ShotGroups;
  /** Per-class accuracy; `null` for a class without test samples. */
  perClass: (number | null)[];
  /** Classes without test samples (left out of every mean). */
  missingClasses: number[];
}

export function shotGroupAccuracyFromTallies(
  t: ClassTallies,
  trainCounts: ArrayLike<number>,
): ShotGroupAccuracyResult {
  const groups = shotGroupsOf(trainCounts);
  const perClass = perClassFromTallies(t);
  const classMean = (g: number[]) => meanOfPresent(g.map((c) => perClass[c]!));
  const weighted = (g: number[]) => {
    let correct = 0;
    let total = 0;
    for (const c of g) {
      correct += t.correct[c]!;
      total += t.support[c]!;
    }
    return total > 0 ? accuracyFromCounts(correct, total) : null;
  };
  const correct = t.correct.reduce((a, b) => a + b, 0);
  const total = t.support.reduce((a, b) => a + b, 0);
  return {
    overall: accuracyFromCounts(correct, total),
    many: classMean(groups.many),
    medium: classMean(groups.medium),
    few: classMean(groups.few),
    sampleWeighted: {
      many: weighted(groups.many),
      medium: weighted(groups.medium),
      few: weighted(groups.few),
    },
    groups,
    perClass,
    missingClasses: perClass.flatMap((v, c) => (v === null ? [c] : [])),
  };
}
