// tailwise in a browser tab: real MNIST digits, a long tail, four methods, live charts.
// Everything here is the packages' browser-safe main entries; the only bundler-specific
// part is how the wasm backend finds its .wasm files (Vite `?url` imports).
import '@tensorflow/tfjs-layers'; // registers the gradients tf.grad needs
import { BACKEND_NAMES, type BackendName, setupBackend } from '@tailwise/backends';
import { createRng, type Dataset } from '@tailwise/core';
import {
  classCounts,
  longTail,
  partialLabels,
  readIdx,
  semiSupervisedSplit,
} from '@tailwise/datasets';
import { mlp } from '@tailwise/models';
import { type EpochRecord, recipes, Trainer } from '@tailwise/trainer';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { drawBars, drawLine } from './charts';

type Method = 'ce' | 'plm' | 'udal' | 'plr';

const $ = <T extends Element>(selector: string) => document.querySelector(selector) as T;
const status = $<HTMLParagraphElement>('#status');
const trainButton = $<HTMLButtonElement>('#train');
const methodSelect = $<HTMLSelectElement>('#method');
const epochsInput = $<HTMLInputElement>('#epochs');
const backendLabel = $<HTMLSpanElement>('#backend');
const lossChart = $<SVGSVGElement>('#loss-chart');
const classChart = $<SVGSVGElement>('#class-chart');
const summary = $<HTMLParagraphElement>('#summary');

const WASM_PATHS = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
};

/** WebGL first, then wasm, then plain JavaScript; `?backend=wasm` starts further down. */
async function pickBackend(): Promise<BackendName> {
  const order: BackendName[] = ['webgl', 'wasm', 'cpu'];
  const asked = new URLSearchParams(location.search).get('backend');
  const start =
    asked && (BACKEND_NAMES as readonly string[]).includes(asked)
      ? Math.max(0, order.indexOf(asked as BackendName))
      : 0;
  const failures: string[] = [];
  for (const name of order.slice(start)) {
    try {
      const { name: active } = await setupBackend(name, { wasmPaths: WASM_PATHS });
      if (failures.length > 0) console.warn(`backend fallback: ${failures.join('; ')}`);
      return active;
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no backend initialised: ${failures.join('; ')}`);
}

async function fetchIdx(name: string) {
  const response = await fetch(`${import.meta.env.BASE_URL}data/${name}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status} (run pnpm prepare-data)`);
  return readIdx(new Uint8Array(await response.arrayBuffer()));
}

async function loadSplit(split: 'train' | 'test'): Promise<Dataset> {
  const [images, labels] = await Promise.all([
    fetchIdx(`${split}-images-idx3-ubyte.gz`),
    fetchIdx(`${split}-labels-idx1-ubyte.gz`),
  ]);
  if (images.dtype !== 'uint8' || images.dims.length !== 3)
    throw new Error(
      `${split} images: expected uint8 [n, 28, 28], got ${images.dtype} [${images.dims}]`,
    );
  const [n, h, w] = images.dims as [number, number, number];
  return {
    name: `mnist-slice-${split}`,
    size: n,
    inputShape: [h, w, 1],
    features: images.data,
    numClasses: 10,
    labels: Int32Array.from(labels.data),
    classNames: Array.from({ length: 10 }, (_, d) => String(d)),
  };
}

interface DemoState {
  backend?: string;
  method?: Method;
  losses: number[];
  epochs: EpochRecord[];
  done: boolean;
  error?: string;
}
const state: DemoState = { losses: [], epochs: [], done: false };
(window as unknown as { tailwiseDemo: DemoState }).tailwiseDemo = state;

const [backend, trainBase, test] = await Promise.all([
  pickBackend(),
  loadSplit('train'),
  loadSplit('test'),
]);
state.backend = backend;
backendLabel.textContent = `backend: ${backend}`;
backendLabel.dataset.backend = backend;
const longTailed = longTail(trainBase, { gamma: 10, rng: createRng(0) });
const trainCounts = classCounts(longTailed);
status.textContent = `Ready: ${longTailed.size} long-tailed training digits (${trainCounts.join(' / ')}), ${test.size} test digits.`;
drawLine(lossChart, []);
drawBars(classChart, new Array(10).fill(null), trainCounts);

/** The training set and recipe of each method. */
function experiment(method: Method) {
  const rng = createRng(1);
  switch (method) {
    case 'ce':
      return { train: longTailed, recipe: recipes.ce() };
    case 'plm':
      return { train: longTailed, recipe: recipes.plm() };
    case 'udal': {
      const split = semiSupervisedSplit(longTailed, { labeledFraction: 0.3, rng });
      // Digits: no mirrored views. 20 steps an epoch, as FixMatch counts epochs in steps.
      const recipe = recipes.udal({ flip: false, epochSteps: 20 });
      return { train: split.labeled, unlabeled: split.unlabeled, recipe };
    }
    case 'plr':
      return { train: partialLabels(longTailed, { psi: 0.3, rng }), recipe: recipes.plr() };
  }
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);

async function train(): Promise<void> {
  const method = methodSelect.value as Method;
  const epochs = Math.max(1, Math.min(50, Number(epochsInput.value) || 1));
  trainButton.disabled = true;
  Object.assign(state, { method, losses: [], epochs: [], done: false, error: undefined });
  status.dataset.epoch = '0';
  status.dataset.done = 'false';
  const { train: trainSet, unlabeled, recipe } = experiment(method);
  const trainer = new Trainer({
    model: (seed) => mlp({ inputShape: [28, 28, 1], numClasses: 10, hidden: [128], seed }),
    recipe: recipe as never,
    train: trainSet,
    ...(unlabeled ? { unlabeled } : {}),
    test,
    epochs,
    batchSize: 32,
    learningRate: 0.05,
    seed: 0,
    progress: false,
    callbacks: {
      onStepEnd: ({ loss }) => {
        state.losses.push(loss);
      },
      onEpochEnd: async (record) => {
        state.epochs.push(record);
        drawLine(lossChart, state.losses);
        const e = record.evaluation;
        if (e?.task === 'single-label') {
          drawBars(classChart, e.perClass, trainCounts);
          classChart.dataset.epoch = String(record.epoch);
          classChart.dataset.accuracy = String(e.accuracy);
          summary.textContent = `After epoch ${record.epoch}: test accuracy ${pct(e.accuracy)} — many-shot ${pct(e.many)}, medium ${pct(e.medium)}, few-shot ${pct(e.few)}.`;
        }
        status.dataset.epoch = String(record.epoch);
        status.textContent = `${recipe.name} on ${backend}: epoch ${record.epoch}/${epochs}, loss ${record.loss.toFixed(3)}, ${Math.round(record.samplesPerSecond)} samples/s, ${tf.memory().numTensors} tensors`;
        // Give the page a frame to paint the charts before the next epoch.
        await new Promise((resolve) => setTimeout(resolve, 0));
      },
    },
  });
  status.textContent = `${recipe.name} on ${backend}: training ${trainSet.size} digits…`;
  try {
    await trainer.fit();
    state.done = true;
    status.dataset.done = 'true';
    status.textContent += ' — done.';
  } catch (error) {
    state.error = (error as Error).message;
    status.textContent = `error: ${state.error}`;
    throw error;
  } finally {
    trainer.dispose();
    trainButton.disabled = false;
  }
}

trainButton.addEventListener('click', () => {
  void train();
});
trainButton.dataset.ready = 'true';
