import { fail, type Rng, TailwiseError } from '@tailwise/core';
import type { Classifier } from '@tailwise/models';
import * as tf from '@tensorflow/tfjs-core';
import { type Checkpoint, loadTensor, optimizerSlots, saveTensor } from '../checkpoint';
import type { TrainerOptimizer } from './optimizer-adapter';

/** What a checkpoint is checked against: the run as this trainer would start it. */
export type RunIdentity = Checkpoint['run'];

function mismatch(what: string, saved: unknown, now: unknown): never {
  throw new TailwiseError(
    'INVALID_STATE',
    `Trainer.fit: the checkpoint to resume is from another run: its ${what} is ${JSON.stringify(saved)}, this run's is ${JSON.stringify(now)}`,
    { functionName: 'Trainer.fit', parameter: 'resume' },
  );
}

/**
 * Refuses a checkpoint that does not belong to this run (recipe, its resolved options, data,
 * schedule, optimizer, model shape) before anything is touched.
 */
export function checkCheckpoint(cp: Checkpoint, run: RunIdentity, model: Classifier): void {
  if (cp.run.recipe !== run.recipe) mismatch('recipe', cp.run.recipe, run.recipe);
  const keys = new Set([...Object.keys(cp.run.recipeOptions), ...Object.keys(run.recipeOptions)]);
  for (const k of keys) {
    const a = JSON.stringify(cp.run.recipeOptions[k]);
    const b = JSON.stringify(run.recipeOptions[k]);
    if (a !== b) mismatch(`recipe option \`${k}\``, cp.run.recipeOptions[k], run.recipeOptions[k]);
  }
  for (const k of ['epochs', 'batchSize', 'seed', 'stepsPerEpoch', 'optimizer'] as const)
    if (cp.run[k] !== run[k]) mismatch(k, cp.run[k], run[k]);
  for (const k of ['name', 'size', 'numClasses'] as const)
    if (cp.run.train[k] !== run.train[k])
      mismatch(`training set ${k}`, cp.run.train[k], run.train[k]);
  if ((cp.run.unlabeled?.size ?? null) !== (run.unlabeled?.size ?? null))
    mismatch('unlabeled set', cp.run.unlabeled, run.unlabeled);
  const shapes = model.getWeights();
  const now = shapes.map((w) => [...w.shape]);
  tf.dispose(shapes);
  const saved = cp.model.map((w) => w.shape);
  const first = now.findIndex((s, i) => JSON.stringify(s) !== JSON.stringify(saved[i]));
  if (saved.length !== now.length || first >= 0) {
    const i = first >= 0 ? first : Math.min(saved.length, now.length);
    fail(
      'SHAPE_MISMATCH',
      'Trainer.fit',
      'resume',
      `a checkpoint of this model (${now.length} weights; weight ${i} of shape [${now[i]?.join(', ') ?? '–'}])`,
      `one with ${saved.length} weights; weight ${i} of shape [${saved[i]?.join(', ') ?? '–'}]`,
    );
  }
}

/** Weights and optimizer slots as checkpoint data. */
export async function saveModelAndOptimizer(
  model: Classifier,
  optimizer: TrainerOptimizer,
): Promise<Pick<Checkpoint, 'model' | 'optimizer'>> {
  const weights = model.getWeights();
  try {
    const savedWeights = await Promise.all(weights.map(saveTensor));
    const slots = await optimizer.saveSlots(model.trainableVariables);
    const savedSlots = await Promise.all(
      slots.map(async (s) => ({
        name: s.name,
        value: s.value === null ? null : await saveTensor(s.value),
      })),
    );
    // tf optimizers hand out a fresh `iterations` scalar besides their slot variables.
    for (const s of slots) if (s.value && !(s.value instanceof tf.Variable)) s.value.dispose();
    return { model: savedWeights, optimizer: optimizerSlots(optimizer.kind, savedSlots) };
  } finally {
    tf.dispose(weights);
  }
}

/** Puts a checkpoint's weights and optimizer slots into the model and optimizer. */
export async function loadModelAndOptimizer(
  cp: Checkpoint,
  model: Classifier,
  optimizer: TrainerOptimizer,
): Promise<void> {
  const weights = cp.model.map(loadTensor);
  try {
    model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  const slots = cp.optimizer.slots.map((s) => ({
    name: s.name,
    value: s.value === null ? null : loadTensor(s.value),
  }));
  try {
    await optimizer.loadSlots(model.trainableVariables, slots);
  } finally {
    for (const s of slots) s.value?.dispose();
  }
}

/** A holder whose Rng can be swapped (for resume) behind a stable reference. */
export class RngSlot {
  constructor(public current: Rng) {}
}
