import {
  describeValue,
  type RngState,
  readStateEnvelope,
  stateEnvelope,
  TailwiseError,
} from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { fromBase64, toBase64 } from './internal/base64';
import { ensureWritableDirectory } from './internal/directory';
import { nodeFs, nodePath } from './internal/node-modules';
import type { EncodedState } from './internal/state-codec';

/** Name of the checkpoint file inside a checkpoint directory. */
export const CHECKPOINT_FILE = 'checkpoint.json';

const KIND = 'tailwise.Checkpoint';
const VERSION = 1;

/** A tensor as exact host data (base64 of its bytes). */
export interface SavedTensor {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: string;
}

/** Where a run stands: enough to continue it at the next step. */
export interface CheckpointPosition {
  /** 0-based epoch in progress (equal to `epochs` once the run is done). */
  epoch: number;
  /** Steps already done in that epoch. */
  stepInEpoch: number;
  /** Global steps done. */
  step: number;
  /** Running sums of the epoch in progress, for its log record. */
  lossSum: number;
  samples: number;
  lastLoss: number | null;
}

/**
 * Everything a resumed run needs, as one JSON value (the core state envelope `kind: 'tailwise.Checkpoint'`, version 1):
 * model weights, optimizer slots, position, every Rng's state, the recipe's state and its
 * resolved options, the epoch records so far, and what the run was (to refuse a mismatch).
 */
export interface Checkpoint {
  kind: typeof KIND;
  version: typeof VERSION;
  /** What the run is; a resume must match it. */
  run: {
    recipe: string;
    recipeOptions: Record<string, unknown>;
    epochs: number;
    batchSize: number;
    seed: number;
    stepsPerEpoch: number;
    train: { name: string; size: number; numClasses: number; inputShape: number[] };
    unlabeled: { name: string; size: number } | null;
    optimizer: string;
  };
  position: CheckpointPosition;
  rngs: {
    model: RngState;
    recipe: RngState;
    /** The data stream now, and as it was when the epoch in progress started (its order). */
    data: RngState;
    dataAtEpochStart: RngState;
  };
  model: SavedTensor[];
  /** `tailwise.OptimizerSlots` v1: which optimizer and its slots, positional. */
  optimizer: OptimizerSlots;
  /** `tailwise.RecipeState` v1: the recipe's whole state, encoded. */
  recipeState: RecipeStateJSON;
  history: Record<string, unknown>[];
  /** Free-form data of the caller (the CLI keeps its command options here). */
  meta?: unknown;
}

/** An optimizer's slots in a checkpoint (core state envelope). */
export type OptimizerSlots = {
  kind: 'tailwise.OptimizerSlots';
  version: 1;
  optimizer: string;
  slots: { name: string; value: SavedTensor | null }[];
};

/** A recipe's state in a checkpoint (core state envelope). */
export type RecipeStateJSON = {
  kind: 'tailwise.RecipeState';
  version: 1;
  recipe: string;
  value: EncodedState;
};

/** Wraps optimizer slots in their envelope. */
export function optimizerSlots(optimizer: string, slots: OptimizerSlots['slots']): OptimizerSlots {
  return stateEnvelope('tailwise.OptimizerSlots', 1, { optimizer, slots }) as OptimizerSlots;
}

/** Wraps an encoded recipe state in its envelope. */
export function recipeStateJSON(recipe: string, value: EncodedState): RecipeStateJSON {
  return stateEnvelope('tailwise.RecipeState', 1, { recipe, value }) as RecipeStateJSON;
}

/** Reads a tensor back into a {@link SavedTensor}. */
export async function saveTensor(t: tf.Tensor): Promise<SavedTensor> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = await t.data();
  return { dtype, shape: [...t.shape], data: toBase64(data as ArrayBufferView) };
}

/** A new tensor from a {@link SavedTensor}; the caller owns it. */
export function loadTensor(s: SavedTensor): tf.Tensor {
  const data = fromBase64(s.data, s.dtype === 'int32' ? Int32Array : Float32Array);
  return tf.tensor(data as Float32Array | Int32Array, s.shape, s.dtype);
}

function refuse(
  path: string,
  what: string,
  code: 'INVALID_FORMAT' | 'NOT_FOUND' = 'INVALID_FORMAT',
): never {
  throw new TailwiseError(code, `loadCheckpoint: ${what} (${path})`, {
    functionName: 'loadCheckpoint',
    parameter: 'dir',
  });
}

/**
 * Writes `checkpoint` to `dir/checkpoint.json` atomically: the JSON goes to a temporary file in
 * the same directory, which is then renamed over the old checkpoint, so a process killed at any
 * moment leaves either the previous checkpoint or the new one, never half of one. Node only.
 */
export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const fs = await nodeFs();
  const { join } = await nodePath();
  await ensureWritableDirectory(dir, 'saveCheckpoint', 'dir');
  const target = join(dir, CHECKPOINT_FILE);
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  const temp = `${target}.tmp-${pid}`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(checkpoint));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

/**
 * Reads and checks `dir/checkpoint.json`. Refuses, with a `TailwiseError` naming the problem and
 * touching nothing: a missing or empty directory or one without a checkpoint (`NOT_FOUND`), a
 * truncated or corrupt file, or JSON that is not a tailwise checkpoint of this version
 * (`INVALID_FORMAT`). Whether it fits a run (recipe, model, data) is checked by the Trainer on
 * resume. Node only.
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const fs = await nodeFs();
  const { join } = await nodePath();
  if (typeof dir !== 'string' || dir === '')
    refuse(describeValue(dir), 'expected `dir` to be a directory path', 'NOT_FOUND');
  if (!fs.existsSync(dir)) refuse(dir, 'no such directory', 'NOT_FOUND');
  if (!fs.statSync(dir).isDirectory()) refuse(dir, 'not a directory', 'NOT_FOUND');
  const file = join(dir, CHECKPOINT_FILE);
  if (!fs.existsSync(file)) {
    const entries = fs.readdirSync(dir);
    refuse(
      dir,
      entries.length === 0
        ? 'the directory is empty: no checkpoint to resume'
        : `no ${CHECKPOINT_FILE} in the directory (it holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}): not a tailwise checkpoint directory`,
      'NOT_FOUND',
    );
  }
  const text = fs.readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    refuse(
      file,
      `the file is truncated or corrupt (${text.length} bytes that do not parse as JSON)`,
    );
  }
  const fn = 'loadCheckpoint';
  const keys = ['run', 'position', 'rngs', 'model', 'optimizer', 'recipeState', 'history', 'meta'];
  const c = readStateEnvelope(json, KIND, VERSION, fn, keys) as Partial<Checkpoint>;
  const missing = keys.filter((k) => k !== 'meta' && c[k as keyof Checkpoint] === undefined);
  if (missing.length > 0) refuse(file, `the checkpoint lacks ${missing.join(', ')}`);
  if (!Array.isArray(c.model) || !Array.isArray(c.history))
    refuse(file, 'model or history is not a list');
  readStateEnvelope(c.optimizer, 'tailwise.OptimizerSlots', 1, fn, ['optimizer', 'slots']);
  readStateEnvelope(c.recipeState, 'tailwise.RecipeState', 1, fn, ['recipe', 'value']);
  for (const [i, t] of c.model.entries()) {
    const n = Array.isArray(t?.shape) ? t.shape.reduce((a, b) => a * b, 1) : -1;
    if (typeof t?.data !== 'string' || Math.floor((t.data.length * 3) / 4 / 4) < n - 1 || n < 0)
      refuse(file, `model weight ${i} is damaged`);
  }
  return c as Checkpoint;
}
