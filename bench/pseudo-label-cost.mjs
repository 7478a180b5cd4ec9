#!/usr/bin/env node
// Per-step cost of the partial-label pseudo-labeling rules (PLR paper 000, Table 5; docs/methods/000-plr.md
// §000): PRODEN (eq. 1), PLR (eq. 5) and Solar (Sinkhorn, 50 iterations, solved with a full
// queue of 64 batches), at B = 256 and C ∈ {10, 100}, timed in one run so the ratios compare.
//
//   pnpm bench pseudo-label-cost            (builds first; or: node bench/pseudo-label-cost.mjs)
//
// Options: --backends wasm,cpu --classes 10,100 --batch 256 --queue 64 --iterations 50
//          --rounds 15 --warmup 3 --python /usr/bin/python3 --skip-torch
//          --cpu-classes 10 --cpu-rounds 5 (tfjs cpu takes seconds per Solar call at C = 10 and
//          about ten times that at C = 100, so it runs the small case, fewer rounds)
//          --doc docs/benchmarks/pll.md (the section between the pseudo-label-cost markers)
//          --json <file>
// One call = the rule on one batch's logits and candidates, then `await data()` of its [B, C]
// result (Solar's call includes uploading the queue's 64·B rows, as each training step does).
// The rules are timed round-robin (one call of each per round) and the median per rule is kept.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setupBackend } from '@tailwise/backends/node';
import { createRng } from '@tailwise/core';
import {
  plrPseudoLabels,
  prodenPseudoLabels,
  SinkhornQueue,
  sinkhornPseudoLabels,
} from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { values: opts } = parseArgs({
  options: {
    backends: { type: 'string', default: 'wasm,cpu' },
    classes: { type: 'string', default: '10,100' },
    batch: { type: 'string', default: '256' },
    queue: { type: 'string', default: '64' },
    iterations: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '15' },
    'cpu-classes': { type: 'string', default: '10' },
    'cpu-rounds': { type: 'string', default: '5' },
    warmup: { type: 'string', default: '3' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'skip-torch': { type: 'boolean', default: false },
    doc: { type: 'string', default: join(root, 'docs/benchmarks/pll.md') },
    json: { type: 'string' },
  },
});
const backends = opts.backends.split(',').map((s) => s.trim());
const classCounts = opts.classes.split(',').map(Number);
const B = Number(opts.batch);
const queueBatches = Number(opts.queue);
const iterations = Number(opts.iterations);
const rounds = Number(opts.rounds);
const warmup = Number(opts.warmup);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A batch of the given width: logits, candidate sets (true class + ψ = 0.3), a prior. */
function batchFor(c, seed) {
  const rng = createRng(seed);
  const logits = new Float32Array(B * c);
  const candidates = new Float32Array(B * c);
  for (let i = 0; i < B; i++) {
    const y = rng.int(c);
    for (let j = 0; j < c; j++) {
      logits[i * c + j] = rng.normal(0, 2);
      candidates[i * c + j] = j === y || rng.uniform() < 0.3 ? 1 : 0;
    }
  }
  // An exponential long-tail profile with γ = 100 as the prior r.
  const raw = Array.from({ length: c }, (_, k) => 100 ** (-k / (c - 1)));
  const total = raw.reduce((a, b) => a + b, 0);
  return { logits, candidates, prior: raw.map((v) => v / total) };
}

async function timeBackend(backend) {
  await setupBackend(backend);
  const rows = [];
  const slow = backend === 'cpu';
  const classes = slow ? opts['cpu-classes'].split(',').map(Number) : classCounts;
  const timedRounds = slow ? Number(opts['cpu-rounds']) : rounds;
  const warmupRounds = slow ? 1 : warmup;
  for (const c of classes) {
    const data = batchFor(c, c);
    const logits = tf.tensor2d(data.logits, [B, c]);
    const candidates = tf.tensor2d(data.candidates, [B, c]);
    const prior = tf.tensor1d(data.prior);
    const queue = new SinkhornQueue({ batches: queueBatches });
    for (let k = 0; k < queueBatches; k++) {
      const other = batchFor(c, 1000 + k);
      const l = tf.tensor2d(other.logits, [B, c]);
      const s = tf.tensor2d(other.candidates, [B, c]);
      await queue.push(s, l);
      tf.dispose([l, s]);
    }
    if (!queue.isFull) throw new Error('pseudo-label-cost: the Sinkhorn queue did not fill');
    const rules = {
      proden: () => prodenPseudoLabels(candidates, logits),
      plr: () => plrPseudoLabels(candidates, logits, prior, { lambda: 3, m: 2 }),
      solar: () =>
        sinkhornPseudoLabels(candidates, logits, prior, { lambda: 3, iterations, queue }),
    };
    const times = { proden: [], plr: [], solar: [] };
    for (let r = 0; r < warmupRounds + timedRounds; r++) {
      for (const [name, rule] of Object.entries(rules)) {
        const t0 = performance.now();
        const w = rule();
        await w.data();
        const ms = performance.now() - t0;
        w.dispose();
        if (r >= warmupRounds) times[name].push(ms);
      }
    }
    const before = tf.memory().numTensors;
    tf.dispose([logits, candidates, prior]);
    queue.dispose();
    if (tf.memory().numTensors !== before - 3)
      throw new Error('pseudo-label-cost: tensors leaked while timing');
    const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    rows.push({ backend: `tfjs ${backend}`, classes: c, ms, rounds: timedRounds });
    console.log(
      `${backend} C=${c}: proden ${ms.proden.toFixed(2)} ms, plr ${ms.plr.toFixed(2)} ms, solar ${ms.solar.toFixed(1)} ms → solar/plr ${(ms.solar / ms.plr).toFixed(1)}×`,
    );
  }
  return rows;
}

function torchRows() {
  if (opts['skip-torch']) return [];
  const script = join(here, 'peers', 'pseudo_label_cost_pll.py');
  const run = spawnSync(
    opts.python,
    [
      script,
      '--batch',
      String(B),
      '--classes',
      opts.classes,
      '--queue',
      String(queueBatches),
      '--iterations',
      String(iterations),
      '--rounds',
      String(rounds),
      '--warmup',
      String(warmup),
      // One thread, like tfjs wasm in Node (docs/performance.md).
      '--threads',
      '1',
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) {
    console.warn(
      `pseudo-label-cost: PyTorch peer skipped (${opts.python} ${script} exited ${run.status}): ${run.stderr.trim().split('\n').pop()}`,
    );
    return [];
  }
  const out = JSON.parse(run.stdout);
  for (const r of out.rows)
    console.log(
      `pytorch C=${r.classes}: proden ${r.ms.proden.toFixed(2)} ms, plr ${r.ms.plr.toFixed(2)} ms, solar ${r.ms.solar.toFixed(1)} ms → solar/plr ${(r.ms.solar / r.ms.plr).toFixed(1)}×`,
    );
  return out.rows.map((r) => ({
    ...r,
    backend: `PyTorch ${out.torch} (${out.threads} thread${out.threads === 1 ? '' : 's'})`,
  }));
}

const started = performance.now();
const rows = [];
for (const backend of backends) rows.push(...(await timeBackend(backend)));
rows.push(...torchRows());
const seconds = (performance.now() - started) / 1000;

const fmt = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
const table = [
  '| backend | C | PRODEN ms | PLR ms | Solar ms | Solar / PLR | PLR / PRODEN |',
  '|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.backend} | ${r.classes} | ${fmt(r.ms.proden)} | ${fmt(r.ms.plr)} | ${fmt(r.ms.solar)} | ${(r.ms.solar / r.ms.plr).toFixed(1)}× | ${(r.ms.plr / r.ms.proden).toFixed(1)}× |`,
  ),
  '| paper Table 5 (V100, per epoch) | 10 | 9 | 16 | 574 | 35.9× | 1.8× |',
  '| paper Table 5 (V100, per epoch) | 100 | 11 | 23 | 769 | 33.4× | 2.1× |',
].join('\n');

const command = `pnpm bench pseudo-label-cost${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
const section = `<!-- pseudo-label-cost:start (written by bench/pseudo-label-cost.mjs) -->
## Cost of the pseudo-labeling rules

Command: \`${command}\` (${seconds.toFixed(0)} s). Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, TensorFlow.js ${tf.version_core}.

One call of each rule on a batch of B = ${B} logits and candidate sets (true class plus each
other class with probability 0.3), median over ${rounds} rounds after ${warmup} warm-up rounds
(tfjs cpu: ${opts['cpu-rounds']} rounds after 1, C = ${opts['cpu-classes']} only), the rules
interleaved. PRODEN = eq. 1, PLR = eq. 5 (λ = 3, M = 2), Solar = log-domain
Sinkhorn on \`(f ⊙ S)^3\`, ${iterations} iterations, solved jointly with a full queue of
${queueBatches} batches (${queueBatches * B} + ${B} rows; the call includes uploading the queue).
The PyTorch row runs the same three rules written in PyTorch (\`bench/peers/pseudo_label_cost_pll.py\`,
Solar's probability-domain iteration without its early stop). The paper's row is per epoch on a
GPU, so only its ratios compare.

${table}
<!-- pseudo-label-cost:end -->`;

writeDocSection(opts.doc, 'pseudo-label-cost', section);
if (opts.json)
  writeFileSync(
    opts.json,
    `${JSON.stringify({ rows, seconds, batch: B, queueBatches, iterations }, null, 2)}\n`,
  );
console.log(`\n${table}\n\nwrote ${opts.doc}`);

/** Replaces the marked section of the doc (or appends it; creates the doc if needed). */
function writeDocSection(path, name, text) {
  const start = `<!-- ${name}:start`;
  const end = `<!-- ${name}:end -->`;
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Partial-label learning benchmarks\n';
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a >= 0 && b > a) doc = doc.slice(0, a) + text + doc.slice(b + end.length);
  else doc = `${doc.trimEnd()}\n\n${text}\n`;
  writeFileSync(path, doc);
}
