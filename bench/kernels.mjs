#!/usr/bin/env node
// Training-step throughput of tfjs with and without tailwise's training kernels, next to
// PyTorch (bench/peers/kernels_torch.py), measured in one run so the ratios are comparable.
//
//   pnpm --filter @tailwise/backends build && node bench/kernels.mjs
//
// Options: --mlp-batch 256 --cnn-batch 32 --warmup 2 --steps 7 --torch-threads 2,1
//          --python /usr/bin/python3 --skip-torch --json <file>
// One step = forward, mean softmax cross-entropy, backward, SGD update (lr 0.01), on random
// data; samples/s is batch / median step time over the timed steps after the warm-up.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { registerTrainingKernels, unregisterTrainingKernels } from '@tailwise/backends';
import { setupBackend } from '@tailwise/backends/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    'mlp-batch': { type: 'string', default: '256' },
    'cnn-batch': { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2' },
    steps: { type: 'string', default: '7' },
    // Stock cpu takes over a minute per CNN step: one timed step, no warm-up.
    'slow-steps': { type: 'string', default: '1' },
    // The first count is the reference for the ratios; 1 thread is shown because tfjs wasm
    // runs one thread in Node (docs/performance.md).
    'torch-threads': { type: 'string', default: '2,1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'skip-torch': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const mlpBatch = Number(opts['mlp-batch']);
const cnnBatch = Number(opts['cnn-batch']);
const warmup = Number(opts.warmup);
const steps = Number(opts.steps);
const slowSteps = Number(opts['slow-steps']);

/** MLP 784-256-10 (docs/performance.md). */
function mlp() {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [784], units: 256, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

/** CNN of docs/performance.md: conv3×3×32, conv3×3×64, maxpool, dense 10 on 28×28×1. */
function cnn() {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 32,
        kernelSize: 3,
        activation: 'relu',
      }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

const MODELS = {
  mlp: {
    build: mlp,
    batch: mlpBatch,
    inputShape: [784],
    label: `MLP 784-256-10, batch ${mlpBatch}`,
  },
  cnn: {
    build: cnn,
    batch: cnnBatch,
    inputShape: [28, 28, 1],
    label: `CNN (docs/performance.md), batch ${cnnBatch}`,
  },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median samples/s of one model on the active backend, or the error that stopped it. */
async function measure(modelName, warm, timed) {
  const spec = MODELS[modelName];
  const model = spec.build();
  const optimizer = tf.train.sgd(0.01);
  const x = tf.randomUniform([spec.batch, ...spec.inputShape]);
  const y = tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32'), 10);
  const step = async () => {
    const cost = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })),
      true,
    );
    await cost.data();
    cost.dispose();
  };
  try {
    for (let i = 0; i < warm; i++) await step();
    const times = [];
    for (let i = 0; i < timed; i++) {
      const start = performance.now();
      await step();
      times.push(performance.now() - start);
    }
    return { samplesPerSecond: spec.batch / (median(times) / 1000), steps: timed };
  } catch (error) {
    return { error: String(error?.message ?? error).split('\n')[0] };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

const torchThreads = opts['torch-threads'].split(',').map(Number);

function runTorch(threads) {
  const script = join(here, 'peers', 'kernels_torch.py');
  const args = [
    script,
    '--threads',
    String(threads),
    '--mlp-batch',
    String(mlpBatch),
    '--cnn-batch',
    String(cnnBatch),
  ];
  const run = spawnSync(opts.python, args, { encoding: 'utf8' });
  if (run.status !== 0)
    return { error: (run.stderr || run.error?.message || 'failed').trim().split('\n').pop() };
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

const configs = [
  { name: 'tfjs cpu, stock', backend: 'cpu', kernels: false },
  { name: 'tfjs cpu + tailwise kernels', backend: 'cpu', kernels: true },
  { name: 'tfjs wasm, stock', backend: 'wasm', kernels: false },
  { name: 'tfjs wasm + tailwise kernels', backend: 'wasm', kernels: true },
];

const started = Date.now();
const torchRuns = [];
// PyTorch runs before every tfjs configuration and once at the end: the machine is shared,
// its load changes by the minute, and two PyTorch threads suffer from it far more than one
// tfjs thread. Ratios use the median of these runs.
const torchRun = () => {
  if (opts['skip-torch']) return;
  for (const threads of torchThreads) {
    const run = { threadsAsked: threads, ...runTorch(threads) };
    torchRuns.push(run);
    const text = run.error
      ? `fails: ${run.error}`
      : Object.entries(run.samplesPerSecond)
          .map(([m, v]) => `${m} ${v.toFixed(1)}`)
          .join(', ');
    console.error(`${`PyTorch, ${threads} thread(s)`.padEnd(30)} ${text} samples/s`);
  }
};

const rows = [];
for (const config of configs) {
  torchRun();
  await setupBackend(config.backend, { trainingKernels: false });
  if (config.kernels) registerTrainingKernels(config.backend);
  const row = { ...config, results: {} };
  for (const modelName of Object.keys(MODELS)) {
    const slow = config.backend === 'cpu' && !config.kernels && modelName === 'cnn';
    row.results[modelName] = await measure(modelName, slow ? 0 : warmup, slow ? slowSteps : steps);
    const r = row.results[modelName];
    console.error(
      `${config.name.padEnd(30)} ${modelName}: ${r.error ? `fails: ${r.error}` : `${r.samplesPerSecond.toFixed(1)} samples/s (${r.steps} steps)`}`,
    );
  }
  unregisterTrainingKernels(config.backend);
  rows.push(row);
}
torchRun();

/** Median samples/s per model over the PyTorch runs with `threads` threads. */
function torchMedians(threads) {
  const ok = torchRuns.filter((r) => !r.error && r.threadsAsked === threads);
  const out = {};
  for (const m of Object.keys(MODELS)) {
    const values = ok.map((r) => r.samplesPerSecond[m]);
    out[m] = values.length
      ? {
          median: median(values),
          min: Math.min(...values),
          max: Math.max(...values),
          runs: values.length,
        }
      : undefined;
  }
  return out;
}
const torch = Object.fromEntries(torchThreads.map((t) => [t, torchMedians(t)]));

const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(v >= 10 ? 1 : 2));
const ratio = (a, b) => (a / b >= 10 ? (a / b).toFixed(1) : (a / b).toFixed(a / b >= 1 ? 2 : 3));

// One row per configuration; per model: samples/s, × stock (same backend), and ÷ each
// PyTorch thread count's median.
const header = ['configuration'];
for (const spec of Object.values(MODELS)) {
  header.push(`${spec.label}: samples/s`, '× stock');
  for (const t of torchThreads) header.push(`÷ PyTorch ${t}t`);
}
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
for (const row of rows) {
  const stockRow = rows.find((r) => r.backend === row.backend && !r.kernels);
  const cells = [row.name];
  for (const m of Object.keys(MODELS)) {
    const r = row.results[m];
    if (r.error) {
      cells.push(`fails: ${r.error}`, '—', ...torchThreads.map(() => '—'));
      continue;
    }
    const stock = stockRow?.results[m];
    cells.push(fmt(r.samplesPerSecond));
    cells.push(
      row.kernels && stock && !stock.error
        ? `${ratio(r.samplesPerSecond, stock.samplesPerSecond)}×`
        : '—',
    );
    for (const t of torchThreads) {
      const p = torch[t][m];
      cells.push(p ? ratio(r.samplesPerSecond, p.median) : '—');
    }
  }
  lines.push(`| ${cells.join(' | ')} |`);
}
for (const t of torchThreads) {
  const first = torchRuns.find((r) => r.threadsAsked === t);
  if (!first) continue;
  const cells = [
    `PyTorch ${first.torch ?? ''}, ${t} thread${t === 1 ? '' : 's'}: median [min–max] of ${torch[t].mlp?.runs ?? 0} runs`,
  ];
  for (const m of Object.keys(MODELS)) {
    const p = torch[t][m];
    cells.push(
      p ? `${fmt(p.median)} [${fmt(p.min)}–${fmt(p.max)}]` : `fails: ${first.error}`,
      '—',
      ...torchThreads.map(() => '—'),
    );
  }
  lines.push(`| ${cells.join(' | ')} |`);
}
console.log(lines.join('\n'));
console.log(
  `\nsamples/s = batch / median step time; ${warmup} warm-up + ${steps} timed steps (stock cpu CNN: ${slowSteps} timed step, no warm-up);` +
    ` "÷ PyTorch Nt" divides by the median N-thread PyTorch run (one before each tfjs configuration, one after). Total ${((Date.now() - started) / 1000).toFixed(0)} s.`,
);
if (opts.json) {
  writeFileSync(
    opts.json,
    JSON.stringify(
      { rows, torchRuns, torch, mlpBatch, cnnBatch, warmup, steps, slowSteps },
      null,
      2,
    ),
  );
}
