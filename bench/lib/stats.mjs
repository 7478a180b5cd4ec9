// The one mean ± std of the benchmark reports: the mean and the sample standard deviation
// (n − 1; 0 for a single value) of the numbers given. Callers decide what to drop first
// (missing runs, non-finite values); an empty list gives NaN for both.

/** Mean and sample standard deviation of `xs`. */
export function meanStd(xs) {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, n };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/** The finite numbers of `xs` (drops null, undefined, NaN and ±Infinity). */
export function finite(xs) {
  return xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
}
