#!/usr/bin/env node
// Cost of value validation (docs/reliability.md): the same calls timed at the validation level
// 'values' (the default: every public function reads the tensor values it depends on, one
// synchronous readback per checked input) and at 'shapes' (no readback), per call and per
// training step.
//
//   pnpm bench validation-cost            (builds first; or: node bench/validation-cost.mjs)
//
// Options: --backends cpu,wasm --batch 256 --classes 10,100 --rounds 30 --warmup 5
//          --doc docs/reliability.md (the section between the validation-cost markers)
// One call = the function on one batch, then `await data()` of its result, as a step would.
// The two levels are timed round-robin (one call at each level per round); medians are kept.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setupBackend } from '@tailwise/backends/node';
import { createRng, setValidation } from '@tailwise/core';
import { binaryCrossEntropy, ccLoss, crossEntropy } from '@tailwise/losses';
import { plmMask } from '@tailwise/masking';
import { mlp } from '@tailwise/models';
import {
  fixMatchPseudoLabels,
  plrPseudoLabels,
  selectSmallLoss,
  sinkhornPseudoLabels,
} from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';

const { values: opts } = parseArgs({
  options: {
    backends: { type: 'string', default: 'cpu,wasm' },
    batch: { type: 'string', default: '256' },
    classes: { type: 'string', default: '10,100' },
    rounds: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '5' },
    doc: { type: 'string', default: 'docs/benchmarks/validation-cost.md,docs/reliability.md' },
  },
});
const backends = opts.backends.split(',').map((s) => s.trim());
const B = Number(opts.batch);
const classCounts = opts.classes.split(',').map(Number);
const rounds = Number(opts.rounds);
const warmup = Number(opts.warmup);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function inputs(c, seed) {
  const rng = createRng(seed);
  const logits = new Float32Array(B * c);
  const candidates = new Float32Array(B * c);
  const multi = new Float32Array(B * c);
  const labels = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    labels[i] = rng.int(c);
    for (let j = 0; j < c; j++) {
      logits[i * c + j] = rng.normal(0, 2);
      candidates[i * c + j] = j === labels[i] || rng.uniform() < 0.3 ? 1 : 0;
      multi[i * c + j] = rng.uniform() < 0.2 ? 1 : 0;
    }
  }
  const prior = new Float32Array(c).fill(1 / c);
  return {
    logits: tf.tensor2d(logits, [B, c]),
    labels: tf.tensor1d(labels, 'int32'),
    candidates: tf.tensor2d(candidates, [B, c]),
    multi: tf.tensor2d(multi, [B, c]),
    prior: tf.tensor1d(prior),
    ratio: tf.fill([c], 0.25),
    ideal: tf.fill([c], 0.5),
    targets: tf.softmax(tf.tensor2d(logits, [B, c])),
  };
}

const calls = {
  crossEntropy: (t) => crossEntropy(t.labels, t.logits),
  binaryCrossEntropy: (t) => binaryCrossEntropy(t.multi, t.logits),
  ccLoss: (t) => ccLoss(t.candidates, t.logits),
  plrPseudoLabels: (t) => plrPseudoLabels(t.candidates, t.logits, t.prior),
  'sinkhornPseudoLabels (50 it.)': (t) => sinkhornPseudoLabels(t.candidates, t.logits, t.prior),
  selectSmallLoss: (t) => selectSmallLoss(t.targets, t.logits, { rho: 0.5 }),
  fixMatchPseudoLabels: (t) => fixMatchPseudoLabels(t.logits).mask,
  plmMask: (t) => plmMask(t.multi, t.ratio, t.ideal, { seed: 3 }),
};

async function timeOnce(level, fn) {
  setValidation(level);
  const start = performance.now();
  const out = fn();
  const outs = out instanceof tf.Tensor ? [out] : Object.values(out);
  await Promise.all(outs.map((o) => o.data()));
  const ms = performance.now() - start;
  tf.dispose(outs);
  return ms;
}

async function timeLevels(fn, n = rounds) {
  const values = [];
  const shapes = [];
  for (let r = 0; r < warmup + n; r++) {
    const a = await timeOnce('values', fn);
    const b = await timeOnce('shapes', fn);
    if (r >= warmup) {
      values.push(a);
      shapes.push(b);
    }
  }
  setValidation('values');
  return { values: median(values), shapes: median(shapes) };
}

/** One SGD step of a 784-256-C MLP on a batch with crossEntropy, as the Trainer would run it. */
function stepFor(c) {
  const model = mlp({ inputShape: [784], numClasses: c, hidden: [256], seed: 1 });
  const optimizer = tf.train.sgd(0.01);
  const rng = createRng(5);
  const x = tf.tensor2d(
    Float32Array.from({ length: B * 784 }, () => rng.uniform()),
    [B, 784],
  );
  const y = tf.tensor1d(
    Int32Array.from({ length: B }, () => rng.int(c)),
    'int32',
  );
  return {
    step: () => {
      const loss = optimizer.minimize(
        () => crossEntropy(y, model.apply(x, { training: true })),
        true,
        model.trainableVariables,
      );
      return loss;
    },
    dispose: () => {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    },
  };
}

const results = [];
for (const backend of backends) {
  await setupBackend(backend);
  for (const c of classCounts) {
    const t = inputs(c, 7 + c);
    for (const [name, fn] of Object.entries(calls)) {
      const slow = name.startsWith('sinkhorn') && backend === 'cpu';
      // tfjs cpu takes seconds per Sinkhorn call at C = 10 and ten times that at C = 100.
      if (slow && c > 10) continue;
      const n = slow ? Math.min(rounds, 8) : rounds;
      const r = await timeLevels(() => fn(t), n);
      results.push({ backend, c, what: name, ...r });
      console.log(backend, `C=${c}`, name, r);
    }
    const s = stepFor(c);
    const r = await timeLevels(s.step, Math.min(rounds, backend === 'cpu' ? 10 : 20));
    results.push({ backend, c, what: 'training step (mlp 784-256-C, crossEntropy, SGD)', ...r });
    console.log(backend, `C=${c}`, 'step', r);
    s.dispose();
    tf.dispose(Object.values(t));
  }
}

const cpu = cpus()[0]?.model ?? 'unknown';
const fmt = (ms) => (ms < 1 ? ms.toFixed(3) : ms.toFixed(2));
const lines = [
  '<!-- validation-cost:start -->',
  `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench validation-cost\` on ${cpus().length} cores (${cpu}), node ${process.version}, B = ${B}; medians of ${rounds} round-robin rounds (8 for Sinkhorn on cpu, which is skipped at C = 100; 20 for the training step, 10 on cpu), each call followed by \`await data()\` of its result.`,
  '',
  "| backend | C | call | 'shapes' (ms) | 'values' (ms) | extra (ms) | extra (%) |",
  '|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.backend} | ${r.c} | ${r.what} | ${fmt(r.shapes)} | ${fmt(r.values)} | ${fmt(r.values - r.shapes)} | ${((100 * (r.values - r.shapes)) / r.shapes).toFixed(0)} % |`,
  ),
  '<!-- validation-cost:end -->',
];
// The section between the markers is replaced in each file (created when missing).
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const file of opts.doc.split(',')) {
  const path = join(repo, file);
  const begin = '<!-- validation-cost:start -->';
  const endMark = '<!-- validation-cost:end -->';
  const doc = existsSync(path)
    ? readFileSync(path, 'utf8')
    : `# Cost of value validation\n\nWritten by \`pnpm bench validation-cost\` (bench/validation-cost.mjs); what it checks and how to read it: docs/reliability.md.\n\n${begin}\n${endMark}\n`;
  const a = doc.indexOf(begin);
  const b = doc.indexOf(endMark);
  if (a < 0 || b < 0) throw new Error(`${file} has no validation-cost markers`);
  writeFileSync(path, doc.slice(0, a) + lines.join('\n') + doc.slice(b + endMark.length));
}
console.log(lines.join('\n'));
