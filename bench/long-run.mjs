#!/usr/bin/env node
// Long runs (docs/reliability.md): every recipe trains for 1,000 steps on small synthetic data
// while `tf.memory().numTensors` and the process's resident memory are recorded at every epoch
// end. The claim checked: zero tensor growth after the first epoch.
//
//   pnpm bench long-run                 (builds first; or: node bench/long-run.mjs)
//
// Options: --backend wasm --steps 1000 --recipes ce,proden,... --batch 16 --size 64 --classes 4
//          --evaluate-every 25 --doc docs/reliability.md (section between the long-run markers)
// The harness (`trackRun`, `RECIPE_DATA`) is also imported by the short version in the tests.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '@tailwise/core';
import { mlp } from '@tailwise/models';
import { recipes, Trainer } from '@tailwise/trainer';
import * as tf from '@tensorflow/tfjs-core';

const SHAPE = [8, 8, 1];

/** 8×8 gray images whose bright pixels depend on the class, with every label field. */
export function syntheticImages({ size, numClasses, seed, name = 'synthetic' }) {
  const rng = createRng(seed);
  const c = numClasses;
  const pixels = SHAPE[0] * SHAPE[1];
  const features = new Uint8Array(size * pixels);
  const labels = new Int32Array(size);
  const candidates = new Uint8Array(size * c);
  const multiLabels = new Float32Array(size * c);
  for (let i = 0; i < size; i++) {
    const y = i % c;
    labels[i] = y;
    for (let p = 0; p < pixels; p++) {
      const v = (p % c === y ? 200 : 40) + rng.normal(0, 20);
      features[i * pixels + p] = Math.max(0, Math.min(255, Math.round(v)));
    }
    for (let k = 0; k < c; k++) {
      candidates[i * c + k] = k === y || rng.uniform() < 0.3 ? 1 : 0;
      multiLabels[i * c + k] = k === y || rng.uniform() < 0.2 ? 1 : 0;
    }
  }
  return {
    name,
    size,
    inputShape: [...SHAPE],
    features,
    numClasses: c,
    labels,
    candidates,
    multiLabels,
  };
}

/**
 * Which data each recipe trains on: 'labels', 'candidates', 'multi' (0/1 multi-labels),
 * 'state' (multi-labels with unknown −1 entries) or 'ssl' (labels + an unlabeled set).
 */
export const RECIPE_DATA = {
  ce: 'labels',
  proden: 'candidates',
  cc: 'candidates',
  solar: 'candidates',
  records: 'candidates',
  plr: 'candidates',
  plm: 'multi',
  bce: 'multi',
  focal: 'multi',
  classBalanced: 'multi',
  undersample: 'multi',
  fixMatch: 'ssl',
  fixMatchDa: 'ssl',
  laSup: 'ssl',
  udal: 'ssl',
  cpu: 'labels',
  cpuSemi: 'labels',
  gce: 'labels',
  sce: 'labels',
  bootstrap: 'labels',
  js: 'labels',
  partialAnnotation: 'state',
  assumeNegative: 'state',
  weakAssumeNegative: 'state',
  bceLs: 'state',
  asl: 'state',
  role: 'state',
};

/**
 * Trains `recipe` for about `steps` steps; returns per-epoch `{ epoch, step, numTensors, rssMB }`,
 * the tensor counts before and after the run (trainer disposed), and the steps done.
 */
export async function trackRun(
  name,
  { steps, batchSize = 16, size = 64, numClasses = 4, evaluateEvery = 25, seed = 0 },
) {
  const kind = RECIPE_DATA[name];
  if (kind === undefined) throw new Error(`long-run: no data plan for recipe '${name}'`);
  const train = syntheticImages({ size, numClasses, seed: seed + 1 });
  if (kind === 'state') {
    // Hide a third of the negatives and a quarter of the positives (−1 = unknown), keeping one
    // known positive per row (the true class).
    const rng = createRng(seed + 9);
    for (let i = 0; i < train.multiLabels.length; i++) {
      const isTrue = i % numClasses === train.labels[Math.floor(i / numClasses)];
      if (!isTrue && rng.uniform() < 0.3) train.multiLabels[i] = -1;
    }
  }
  const test = syntheticImages({ size: 32, numClasses, seed: seed + 2, name: 'synthetic-test' });
  const unlabeled =
    kind === 'ssl'
      ? syntheticImages({ size: size * 2, numClasses, seed: seed + 3, name: 'unlabeled' })
      : undefined;
  const recipe = kind === 'ssl' ? recipes[name]({ mu: 2 }) : recipes[name]();
  const stepsPerEpoch = Math.ceil(size / batchSize);
  const epochs = Math.max(2, Math.round(steps / stepsPerEpoch));
  const before = tf.memory().numTensors;
  const epochsSeen = [];
  let step = 0;
  const trainer = new Trainer({
    model: (s) => mlp({ inputShape: SHAPE, numClasses, hidden: [16], seed: s }),
    recipe,
    train,
    test,
    ...(unlabeled ? { unlabeled } : {}),
    epochs,
    batchSize,
    seed,
    learningRate: 0.05,
    evaluateEvery,
    progress: false,
    callbacks: {
      onStepEnd: (info) => {
        step = info.step;
      },
      onEpochEnd: (record) => {
        epochsSeen.push({
          epoch: record.epoch,
          step,
          numTensors: tf.memory().numTensors,
          rssMB: process.memoryUsage().rss / 2 ** 20,
        });
      },
    },
  });
  const started = performance.now();
  const result = await trainer.fit();
  const seconds = (performance.now() - started) / 1000;
  trainer.dispose();
  return {
    recipe: name,
    epochs: epochsSeen,
    steps: step,
    seconds,
    before,
    after: tf.memory().numTensors,
    lastLoss: result.lastLoss,
  };
}

/** Tensor growth after the first epoch: max over later epochs of numTensors − epoch 1's. */
export function growthAfterFirstEpoch(run) {
  const first = run.epochs[0].numTensors;
  return Math.max(0, ...run.epochs.slice(1).map((e) => e.numTensors - first));
}

async function main() {
  const { values: opts } = parseArgs({
    options: {
      backend: { type: 'string', default: 'wasm' },
      steps: { type: 'string', default: '1000' },
      recipes: { type: 'string', default: Object.keys(RECIPE_DATA).join(',') },
      batch: { type: 'string', default: '16' },
      size: { type: 'string', default: '64' },
      classes: { type: 'string', default: '4' },
      'evaluate-every': { type: 'string', default: '25' },
      doc: { type: 'string', default: 'docs/benchmarks/long-run.md,docs/reliability.md' },
    },
  });
  const { setupBackend } = await import('@tailwise/backends/node');
  await setupBackend(opts.backend);
  const rows = [];
  for (const name of opts.recipes.split(',')) {
    const run = await trackRun(name, {
      steps: Number(opts.steps),
      batchSize: Number(opts.batch),
      size: Number(opts.size),
      numClasses: Number(opts.classes),
      evaluateEvery: Number(opts['evaluate-every']),
    });
    const first = run.epochs[0];
    const last = run.epochs[run.epochs.length - 1];
    const row = {
      recipe: name,
      steps: run.steps,
      epochs: run.epochs.length,
      seconds: run.seconds,
      tensorsEpoch1: first.numTensors - run.before,
      tensorsLast: last.numTensors - run.before,
      growth: growthAfterFirstEpoch(run),
      leftAfterDispose: run.after - run.before,
      rssFirst: first.rssMB,
      rssMax: Math.max(...run.epochs.map((e) => e.rssMB)),
      rssLast: last.rssMB,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const cpu = cpus()[0]?.model ?? 'unknown';
  const lines = [
    '<!-- long-run:start -->',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench long-run\` (backend ${opts.backend}, ${opts.steps} steps per recipe, batch ${opts.batch}, ${opts.size} synthetic 8×8 images over ${opts.classes} classes, mlp 64-16-C, evaluation every ${opts['evaluate-every']} epochs) on ${cpus().length} cores (${cpu}), node ${process.version}. Tensors are counted relative to the count before the Trainer was built; RSS is the whole process's.`,
    '',
    '| recipe | steps | epochs | s | tensors after epoch 1 | after the last epoch | growth after epoch 1 | left after dispose | RSS epoch 1 (MB) | RSS max | RSS last |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.recipe} | ${r.steps} | ${r.epochs} | ${r.seconds.toFixed(1)} | ${r.tensorsEpoch1} | ${r.tensorsLast} | ${r.growth} | ${r.leftAfterDispose} | ${r.rssFirst.toFixed(0)} | ${r.rssMax.toFixed(0)} | ${r.rssLast.toFixed(0)} |`,
    ),
    '<!-- long-run:end -->',
  ];
  // The section between the markers is replaced in each file (created when missing).
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
  for (const file of opts.doc.split(',')) {
    const path = join(repo, file);
    const begin = '<!-- long-run:start -->';
    const endMark = '<!-- long-run:end -->';
    const doc = existsSync(path)
      ? readFileSync(path, 'utf8')
      : `# Long runs: tensors and memory per epoch\n\nWritten by \`pnpm bench long-run\` (bench/long-run.mjs); what it checks and how to read it: docs/reliability.md.\n\n${begin}\n${endMark}\n`;
    const a = doc.indexOf(begin);
    const b = doc.indexOf(endMark);
    if (a < 0 || b < 0) throw new Error(`${file} has no long-run markers`);
    writeFileSync(path, doc.slice(0, a) + lines.join('\n') + doc.slice(b + endMark.length));
  }
  console.log(lines.join('\n'));
  const bad = rows.filter((r) => r.growth !== 0 || r.leftAfterDispose !== 0);
  if (bad.length > 0) {
    console.error(`long-run: tensor growth in ${bad.map((r) => r.recipe).join(', ')}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
