import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupBackend } from '@tailwise/backends/node';
import { TailwiseError } from '@tailwise/core';
import {
  buildExperimentData,
  CHECKPOINT_FILE,
  type Checkpoint,
  type Evaluation,
  type ExperimentData,
  loadCheckpoint,
  type RecipeName,
  recipes,
  Trainer,
  type TrainResult,
} from '@tailwise/trainer';
import {
  barReporter,
  type DatasetName,
  ensureWritableDirectory,
  loadExperimentData,
  type ModelName,
  modelFactory,
} from '@tailwise/trainer/node';
import { type DataFileOptions, loadDataFile } from './data';
import { withStagedDir } from './out-dir';
import { learningCurveSvg, lineChartSvg } from './plot';
import { markdownTable, pct } from './table';

/** Options of `tailwise train`, as parsed. */
export interface TrainCommandOptions extends DataFileOptions {
  method: string;
  dataset: string;
  gamma?: number;
  order?: 'natural' | 'permuted';
  psi?: number;
  /** Multi-label: hide training labels as paper 001's PAL / PPL / SPL setting. */
  setting?: 'PAL' | 'PPL' | 'SPL';
  /** Kept fraction for `setting` PAL / PPL, in (0, 1]. */
  keep?: number;
  /** Semi-supervised: fraction of the training set that keeps its labels. */
  labeledFraction?: number;
  /** Also evaluate with logit adjustment at inference (`logits − τ·log p_train`). */
  inferenceTau?: number;
  /** `-q` datasets (paper 003): mixing strategy, instances per mixture, trials, grid, sizes. */
  mix?: 'mixup' | 'patchmix';
  m?: number;
  r?: number;
  grid?: number;
  trainSize?: number;
  testSize?: number;
  /** Shorthand for `--opt loss=…` (PLM and the multi-label peers). */
  loss?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmup: number;
  backend: 'wasm' | 'cpu' | 'tensorflow';
  model: string;
  seed: number;
  out?: string;
  progress: boolean;
  /** Recipe options as key=value pairs (`--opt lambda=3`). */
  opt: Record<string, unknown>;
  /** Write a checkpoint to `--out` every N steps and at each epoch end (0: epoch ends only). */
  checkpointEvery?: number;
  /** Continue the run whose checkpoint is in this directory (its options come from there). */
  resume?: string;
  /** Options given explicitly on the command line (the CLI fills this; a resume refuses most). */
  given?: readonly string[];
  quiet?: boolean;
}

/** Options a resumed run may set anew; every other one comes from the checkpoint. */
const RESUME_MAY_SET = new Set(['resume', 'backend', 'progress', 'quiet', 'given']);

/**
 * The options of a resumed run: those saved in the checkpoint (`meta`), except the backend and
 * progress. An explicitly given option that would change the run is refused, naming it.
 */
async function resumedOptions(
  o: TrainCommandOptions,
): Promise<{ o: TrainCommandOptions; checkpoint: Checkpoint }> {
  const checkpoint = await loadCheckpoint(o.resume!);
  const saved = checkpoint.meta as { cli?: TrainCommandOptions } | undefined;
  if (saved?.cli === undefined || typeof saved.cli !== 'object') {
    throw new TailwiseError(
      'INVALID_FORMAT',
      `tailwise train --resume: ${join(o.resume!, CHECKPOINT_FILE)} was not written by \`tailwise train\` (it holds no command options); resume it with the Trainer's \`resume\` option`,
      { functionName: 'tailwise train', parameter: 'resume' },
    );
  }
  const clash = (o.given ?? []).filter((k) => !RESUME_MAY_SET.has(k));
  if (clash.length > 0) {
    throw new TailwiseError(
      'INVALID_OPTION',
      `tailwise train --resume: expected only --backend and --no-progress besides --resume (the run's options come from its checkpoint), got --${clash.map((k) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')}`,
      { functionName: 'tailwise train', parameter: clash[0] },
    );
  }
  return {
    o: {
      ...saved.cli,
      backend: o.backend,
      progress: o.progress,
      out: o.resume!,
      resume: o.resume!,
      ...(o.quiet ? { quiet: true } : {}),
    },
    checkpoint,
  };
}

export interface TrainCommandResult {
  result: TrainResult;
  description: string;
  classNames: readonly string[];
}

/** Recipes that take the mixture size `m` of a `-q` dataset as an option. */
const M_RECIPES: readonly string[] = ['cpu', 'cpuSemi'];

/** The `-q` dataset fields of the options that were given. */
function qllSpec(o: TrainCommandOptions) {
  const out: Record<string, unknown> = {};
  for (const key of ['mix', 'm', 'r', 'grid', 'trainSize', 'testSize'] as const)
    if (o[key] !== undefined) out[key] = o[key];
  return out;
}

/** Runs one training job as `tailwise train` does; prints the tables unless `quiet`. */
export async function runTrain(
  given: TrainCommandOptions,
  print: (s: string) => void = console.log,
): Promise<TrainCommandResult> {
  // A resume reads (and checks) its checkpoint before anything else happens.
  const resumed = given.resume === undefined ? undefined : await resumedOptions(given);
  const o = resumed?.o ?? given;
  if (o.checkpointEvery !== undefined && o.out === undefined) {
    throw new TailwiseError(
      'INVALID_OPTION',
      'tailwise train: expected `--checkpoint-every` with `--out DIR` (checkpoints are written there), got no --out',
      { functionName: 'tailwise train', parameter: 'checkpointEvery' },
    );
  }
  // Before anything slow: an unwritable --out fails now, naming --out (a recursive mkdir used to
  // hang on paths like /proc/forbidden).
  if (o.out !== undefined)
    await ensureWritableDirectory(o.out, 'tailwise train', '--out', { create: false });
  await setupBackend(o.backend);
  const weak = {
    seed: o.seed,
    ...(o.gamma === undefined ? {} : { gamma: o.gamma }),
    ...(o.order === undefined ? {} : { order: o.order }),
    ...(o.psi === undefined ? {} : { psi: o.psi }),
    ...(o.labeledFraction === undefined ? {} : { labeledFraction: o.labeledFraction }),
    ...(o.setting === undefined ? {} : { setting: o.setting }),
    ...(o.keep === undefined ? {} : { keep: o.keep }),
  };
  let data: ExperimentData;
  if (o.data !== undefined) {
    // A user's file: split and scale it, then the same long tail / weak labels as a named set.
    const file = await loadDataFile(o);
    data = buildExperimentData(file, weak, undefined, [file.description]);
  } else {
    data = await loadExperimentData({ name: o.dataset as DatasetName, ...weak, ...qllSpec(o) });
  }
  const makeRecipe = recipes[o.method as RecipeName];
  if (makeRecipe === undefined) {
    throw new Error(
      `tailwise train: unknown --method '${o.method}'; known: ${Object.keys(recipes).join(', ')}`,
    );
  }
  const lossOptions = o.loss === undefined ? o.opt : { loss: o.loss, ...o.opt };
  // CPU's π2 = m/C needs the m the ambiguous data were made with (paper 003, §V).
  const recipeOptions =
    M_RECIPES.includes(o.method) && o.dataset.endsWith('-q') && !('m' in lossOptions)
      ? { m: o.m ?? (o.mix === 'patchmix' ? 4 : 2), ...lossOptions }
      : lossOptions;
  const recipe = (
    makeRecipe as (options: Record<string, unknown>) => ReturnType<typeof makeRecipe>
  )(recipeOptions);
  if (!o.quiet)
    print(
      `tailwise: ${recipe.name} on ${data.description}; model ${o.model}, backend ${o.backend}, seed ${o.seed}${resumed ? `; resuming at epoch ${resumed.checkpoint.position.epoch + 1}, step ${resumed.checkpoint.position.stepInEpoch} of the epoch` : ''}`,
    );
  const { given: _given, quiet: _quiet, resume: _resume, ...saved } = o;
  // Files go to a staging directory beside --out and move into it only when the run succeeds,
  // so a failed run leaves no partial files. A checkpointed (or resumed) run writes into --out
  // directly: its checkpoint must survive a crash to be resumed.
  const checkpointing = o.checkpointEvery !== undefined || resumed !== undefined;
  const stage = checkpointing
    ? <T>(dir: string | undefined, fn: (d: string | undefined) => Promise<T>) => fn(dir)
    : withStagedDir;
  return stage(o.out, async (out) => {
    const trainer = new Trainer({
      model: modelFactory(o.model as ModelName, data.train.inputShape, data.train.numClasses),
      recipe,
      train: data.train,
      ...(data.unlabeled === undefined ? {} : { unlabeled: data.unlabeled }),
      test: data.test,
      epochs: o.epochs,
      batchSize: o.batchSize,
      learningRate: o.lr,
      weightDecay: o.weightDecay,
      warmupEpochs: o.warmup,
      seed: o.seed,
      progress: o.progress ? (process.stderr.isTTY ? barReporter() : 'auto') : false,
      ...(o.inferenceTau === undefined ? {} : { inferenceTau: o.inferenceTau }),
      ...(out === undefined ? {} : { logFile: join(out, 'metrics.jsonl') }),
      ...(o.checkpointEvery !== undefined && out !== undefined
        ? {
            checkpointDir: out,
            checkpointEvery: o.checkpointEvery,
            checkpointMeta: { cli: saved },
            callbacks: {
              onCheckpoint: (c: { epoch: number; stepInEpoch: number; step: number }) => {
                if (!o.quiet)
                  console.error(
                    `tailwise: checkpoint at epoch ${c.epoch + 1}, step ${c.stepInEpoch} of the epoch (step ${c.step}) in ${join(o.out!, CHECKPOINT_FILE)}`,
                  );
              },
            },
          }
        : {}),
      ...(resumed ? { resume: resumed.checkpoint } : {}),
    });
    try {
      const result = await trainer.fit();
      const classNames =
        data.train.classNames ?? Array.from({ length: data.train.numClasses }, (_, i) => String(i));
      if (result.final && !o.quiet)
        print(`\n${renderEvaluation(result.final, result.trainCounts, classNames)}`);
      if (out !== undefined) {
        mkdirSync(out, { recursive: true });
        writeFileSync(
          join(out, 'result.json'),
          `${JSON.stringify({ options: saved, recipe: { name: recipe.name, options: result.recipeOptions }, data: data.description, ...result }, null, 2)}\n`,
        );
        const charts: { file: string; caption: string }[] = [];
        // Learning curve: training loss and the test score of every evaluated epoch.
        const single = result.final?.task !== 'multi-label';
        const curve = result.history.map((h) => {
          const e = h.evaluation;
          const test =
            e === undefined ? null : e.task === 'single-label' ? 100 * e.accuracy : 100 * e.f1;
          return { epoch: h.epoch, loss: h.loss, test };
        });
        writeFileSync(
          join(out, 'learning-curve.svg'),
          await learningCurveSvg(curve, {
            title: `${recipe.name}: learning curve`,
            testTitle: single ? 'test accuracy %' : 'test macro F1 %',
          }),
        );
        charts.push({ file: 'learning-curve.svg', caption: 'learning curve' });
        const ratios = result.history.filter((h) => Array.isArray(h.idealRatio));
        if (ratios.length > 0) {
          // PLM's ideal ratio per class over epochs (paper 002, Figure 2).
          const points = ratios.flatMap((h) =>
            (h.idealRatio as number[]).map((y, c) => ({
              x: h.epoch,
              y,
              series: `${classNames[c] ?? c} (n=${result.trainCounts[c]})`,
            })),
          );
          writeFileSync(
            join(out, 'ratio.svg'),
            await lineChartSvg(points, {
              title: `${recipe.name}: ideal positive/negative ratio per class`,
              xTitle: 'epoch',
              yTitle: 'ideal ratio r̄ (log scale)',
              logY: true,
            }),
          );
          charts.push({ file: 'ratio.svg', caption: 'ideal ratio per class' });
        }
        if (result.final) {
          // report.md embeds every chart this run wrote, next to it in the same folder.
          const embedded = charts.map((c) => `![${c.caption}](${c.file})`).join('\n\n');
          writeFileSync(
            join(out, 'report.md'),
            `# ${recipe.name} on ${data.description}\n\n${renderEvaluation(result.final, result.trainCounts, classNames)}\n\n${embedded}\n`,
          );
        }
        if (!o.quiet)
          print(
            `\nwrote ${join(o.out ?? out, 'metrics.jsonl')}, result.json, report.md, ${charts.map((c) => c.file).join(', ')}`,
          );
      }
      return { result, description: data.description, classNames };
    } finally {
      trainer.dispose();
    }
  });
}

/** Per-class table and shot-group table (single-label) or P/R/F1 table (multi-label). */
export function renderEvaluation(
  e: Evaluation,
  trainCounts: readonly number[],
  classNames: readonly string[],
): string {
  if (e.task === 'single-label') {
    const order = trainCounts
      .map((n, c) => [n, c] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    const groupOf = (c: number) =>
      e.groups.many.includes(c) ? 'many' : e.groups.few.includes(c) ? 'few' : 'medium';
    const perClass = markdownTable(
      ['class', 'train n', 'group', 'test acc %'],
      order.map(([n, c]) => [
        classNames[c] ?? String(c),
        String(n),
        groupOf(c),
        pct(e.perClass[c]),
      ]),
    );
    const groups = markdownTable(
      ['overall %', 'many %', 'medium %', 'few %'],
      [[pct(e.accuracy), pct(e.many), pct(e.medium), pct(e.few)]],
    );
    return `${perClass}\n\n${groups}`;
  }
  const perClass = markdownTable(
    ['class', 'train positives', 'precision %', 'recall %', 'F1 %'],
    classNames.map((name, c) => [
      name,
      String(trainCounts[c]),
      pct(e.perClass.precision[c]),
      pct(e.perClass.recall[c]),
      pct(e.perClass.f1[c]),
    ]),
  );
  const summary = markdownTable(
    ['', 'precision %', 'recall %', 'F1 %'],
    [
      ['all classes', pct(e.precision), pct(e.recall), pct(e.f1)],
      ['3 rarest', pct(e.rarestPrecision), pct(e.rarestRecall), pct(e.rarestF1)],
    ],
  );
  return `${perClass}\n\n${summary}\n\nexact match ${pct(e.exactMatch)} %, mAP ${pct(e.meanAveragePrecision)} %`;
}
