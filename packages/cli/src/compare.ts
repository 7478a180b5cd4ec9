import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Evaluation } from '@tailwise/trainer';
import { ensureWritableDirectory } from '@tailwise/trainer/node';
import { withStagedDir } from './out-dir';
import { barChartSvg } from './plot';
import { markdownTable } from './table';
import { runTrain, type TrainCommandOptions } from './train';

/** Options of `tailwise compare`: `train`'s options plus the methods and seeds. */
export interface CompareCommandOptions
  extends Omit<TrainCommandOptions, 'method' | 'seed' | 'out'> {
  methods: string[];
  seeds: number;
  /** First seed (seeds are `seed, seed + 1, …`). */
  seed: number;
  out?: string;
  title?: string;
}

/** One finished run of a comparison. */
export interface CompareRun {
  method: string;
  seed: number;
  evaluation: Evaluation;
  secondsPerEpoch: number;
  samplesPerSecond: number;
}

/** Mean and sample standard deviation. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std =
    xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std };
}

const SINGLE = [
  ['overall', (e: Evaluation) => (e.task === 'single-label' ? e.accuracy : Number.NaN)],
  ['many', (e: Evaluation) => (e.task === 'single-label' ? (e.many ?? Number.NaN) : Number.NaN)],
  [
    'medium',
    (e: Evaluation) => (e.task === 'single-label' ? (e.medium ?? Number.NaN) : Number.NaN),
  ],
  ['few', (e: Evaluation) => (e.task === 'single-label' ? (e.few ?? Number.NaN) : Number.NaN)],
] as const;
const MULTI = [
  ['mAP', (e: Evaluation) => (e.task === 'multi-label' ? e.meanAveragePrecision : Number.NaN)],
  ['precision', (e: Evaluation) => (e.task === 'multi-label' ? e.precision : Number.NaN)],
  ['recall', (e: Evaluation) => (e.task === 'multi-label' ? e.recall : Number.NaN)],
  ['F1', (e: Evaluation) => (e.task === 'multi-label' ? e.f1 : Number.NaN)],
  [
    'rarest-3 precision',
    (e: Evaluation) => (e.task === 'multi-label' ? e.rarestPrecision : Number.NaN),
  ],
  ['rarest-3 recall', (e: Evaluation) => (e.task === 'multi-label' ? e.rarestRecall : Number.NaN)],
  ['rarest-3 F1', (e: Evaluation) => (e.task === 'multi-label' ? e.rarestF1 : Number.NaN)],
  ['exact match', (e: Evaluation) => (e.task === 'multi-label' ? e.exactMatch : Number.NaN)],
] as const;

/** Columns of the comparison table for a task. */
export function columnsFor(task: Evaluation['task']) {
  return task === 'single-label' ? SINGLE : MULTI;
}

/** The comparison table: mean ± std over seeds, in percent, plus seconds per epoch. */
export function compareTable(runs: readonly CompareRun[]): string {
  const methods = [...new Set(runs.map((r) => r.method))];
  const task = runs[0]?.evaluation.task ?? 'single-label';
  const columns = columnsFor(task);
  const rows = methods.map((m) => {
    const mine = runs.filter((r) => r.method === m);
    const cells = columns.map(([, get]) => {
      const { mean, std } = meanStd(mine.map((r) => get(r.evaluation)));
      return `${(100 * mean).toFixed(2)} ± ${(100 * std).toFixed(2)}`;
    });
    const secs = meanStd(mine.map((r) => r.secondsPerEpoch)).mean;
    return [m, String(mine.length), ...cells, secs.toFixed(2)];
  });
  return markdownTable(['method', 'seeds', ...columns.map(([n]) => `${n} %`), 's/epoch'], rows);
}

/** Runs every method with every seed, then writes compare.md, compare.json and compare.svg. */
export async function runCompare(
  o: CompareCommandOptions,
  print: (s: string) => void = console.log,
): Promise<CompareRun[]> {
  if (o.out !== undefined)
    await ensureWritableDirectory(o.out, 'tailwise compare', '--out', { create: false });
  // Every file (per-run logs included) is staged and moves into --out only when all runs end.
  return withStagedDir(o.out, (out) => compareInto(o, out, print));
}

async function compareInto(
  o: CompareCommandOptions,
  out: string | undefined,
  print: (s: string) => void,
): Promise<CompareRun[]> {
  const runs: CompareRun[] = [];
  let description = '';
  for (const method of o.methods) {
    for (let s = 0; s < o.seeds; s++) {
      const seed = o.seed + s;
      const opt = scopedOptions(o.opt, method, o.methods);
      print(`== ${method}, seed ${seed}`);
      const { result, description: d } = await runTrain(
        {
          ...o,
          method,
          seed,
          opt,
          quiet: true,
          ...(out === undefined ? {} : { out: join(out, 'runs', `${method}-seed${seed}`) }),
        },
        print,
      );
      description = d;
      if (!result.final) throw new Error('tailwise compare: a run ended without an evaluation');
      const secs = result.history.reduce((a, h) => a + h.seconds, 0) / result.history.length;
      const sps =
        result.history.reduce((a, h) => a + h.samplesPerSecond, 0) / result.history.length;
      runs.push({
        method,
        seed,
        evaluation: result.final,
        secondsPerEpoch: secs,
        samplesPerSecond: sps,
      });
      // With --inference-tau the same run is also scored with logit adjustment at inference:
      // a row of its own ("<method> +LA(inf)") at no extra training cost.
      if (result.finalLA) {
        runs.push({
          method: `${method} +LA(inf)`,
          seed,
          evaluation: result.finalLA,
          secondsPerEpoch: secs,
          samplesPerSecond: sps,
        });
      }
      const cols = columnsFor(result.final.task).slice(0, 4);
      print(
        `   ${cols.map(([n, get]) => `${n} ${(100 * get(result.final!)).toFixed(2)}%`).join(', ')}`,
      );
    }
  }
  const table = compareTable(runs);
  const title = o.title ?? description;
  print(`\n${title}\n\n${table}`);
  if (out !== undefined) {
    const task = runs[0]!.evaluation.task;
    const bars = [...new Set(runs.map((r) => r.method))].flatMap((method) =>
      columnsFor(task)
        .slice(0, task === 'single-label' ? 4 : 8)
        .map(([group, get]) => ({
          method,
          group,
          ...meanStd(runs.filter((r) => r.method === method).map((r) => 100 * get(r.evaluation))),
        })),
    );
    writeFileSync(
      join(out, 'compare.svg'),
      await barChartSvg(bars, { title, yTitle: task === 'single-label' ? 'test accuracy %' : '%' }),
    );
    writeFileSync(
      join(out, 'compare.md'),
      `# ${title}\n\n${table}\n\n![comparison](compare.svg)\n\nBars: mean over ${o.seeds} seed(s); error bars: ± one standard deviation over the seeds.\n`,
    );
    writeFileSync(
      join(out, 'compare.json'),
      `${JSON.stringify({ title, options: o, runs }, null, 2)}\n`,
    );
    print(`\nwrote ${join(o.out ?? out, 'compare.md')}, compare.svg, compare.json`);
  }
  return runs;
}

/** `--opt key=v` applies to every method; `--opt method.key=v` to that method only. */
export function scopedOptions(
  opt: Record<string, unknown>,
  method: string,
  methods: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(opt)) {
    const dot = key.indexOf('.');
    if (dot > 0 && methods.includes(key.slice(0, dot))) {
      if (key.slice(0, dot) === method) out[key.slice(dot + 1)] = value;
    } else out[key] = value;
  }
  return out;
}
