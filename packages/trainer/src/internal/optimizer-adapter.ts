import { fail, TailwiseError } from '@tailwise/core';
import * as tf from '@tensorflow/tfjs-core';
import { SgdMomentum } from '../optimizer';

/** What the Trainer needs of an optimizer: one step at a given learning rate, and its slots. */
export interface TrainerOptimizer {
  readonly kind: string;
  /** The learning rate it was built with (tf optimizers), for the schedule's peak. */
  readonly initialLearningRate: number | undefined;
  apply(variables: readonly tf.Variable[], grads: tf.NamedTensorMap, learningRate: number): void;
  /** Slot tensors for a checkpoint, read back; positional. */
  saveSlots(variables: readonly tf.Variable[]): Promise<SavedSlot[]>;
  loadSlots(variables: readonly tf.Variable[], slots: readonly SavedSlot[]): Promise<void>;
  reset(): void;
  dispose(): void;
}

/** One optimizer slot as host data (`null` for SGD velocity not yet created). */
export interface SavedSlot {
  name: string;
  value: tf.Tensor | null;
}

/** Any `tf.Optimizer`, or a function making one (a factory also makes a fresh one on reset). */
export type OptimizerOption = tf.Optimizer | (() => tf.Optimizer);

function isOptimizer(v: unknown): v is tf.Optimizer {
  const o = v as Partial<tf.Optimizer> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.applyGradients === 'function' &&
    typeof o.getWeights === 'function' &&
    typeof o.setWeights === 'function'
  );
}

function sgdAdapter(sgd: SgdMomentum): TrainerOptimizer {
  return {
    kind: 'sgd-momentum',
    initialLearningRate: undefined,
    apply: (variables, grads, lr) => sgd.apply(variables, grads, lr),
    saveSlots: async (variables) =>
      sgd.getSlots(variables).map((v, i) => ({ name: `velocity/${i}`, value: v ?? null })),
    loadSlots: async (variables, slots) =>
      sgd.setSlots(
        variables,
        slots.map((s) => s.value ?? undefined),
      ),
    reset: () => sgd.reset(),
    dispose: () => sgd.dispose(),
  };
}

function tfAdapter(option: OptimizerOption): TrainerOptimizer {
  const make = typeof option === 'function' ? option : undefined;
  const build = (): tf.Optimizer => {
    const o = make ? make() : option;
    if (!isOptimizer(o))
      fail(
        'INVALID_OPTION',
        'Trainer',
        'optimizer',
        'a tf.Optimizer or () => tf.Optimizer',
        String(o),
      );
    return o;
  };
  let opt = build();
  const lr = (opt as unknown as { learningRate?: unknown }).learningRate;
  return {
    kind: `tf:${opt.getClassName()}`,
    initialLearningRate: typeof lr === 'number' ? lr : undefined,
    apply(_variables, grads, learningRate) {
      const o = opt as unknown as { setLearningRate?: (x: number) => void; learningRate?: number };
      if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
      else if (typeof o.learningRate === 'number') o.learningRate = learningRate;
      opt.applyGradients(grads);
    },
    async saveSlots() {
      const named = await opt.getWeights();
      return named.map((n) => ({ name: n.name, value: n.tensor }));
    },
    async loadSlots(_variables, slots) {
      await opt.setWeights(slots.map((s) => ({ name: s.name, tensor: s.value ?? tf.scalar(0) })));
    },
    reset() {
      // A factory gives fresh slots; an instance keeps its (orphaned) slots for the old weights.
      if (make) {
        opt.dispose();
        opt = build();
      }
    },
    dispose() {
      if (make) opt.dispose();
    },
  };
}

/** The Trainer's optimizer: `SgdMomentum` (default) or any `tf.Optimizer` / factory. */
export function resolveOptimizer(
  option: OptimizerOption | SgdMomentum | undefined,
  sgd: { momentum: number; weightDecay: number },
): TrainerOptimizer {
  if (option === undefined) return sgdAdapter(new SgdMomentum(sgd));
  if (option instanceof SgdMomentum) return sgdAdapter(option);
  if (typeof option === 'function' || isOptimizer(option)) return tfAdapter(option);
  throw new TailwiseError(
    'INVALID_OPTION',
    'Trainer: expected `optimizer` to be a tf.Optimizer, () => tf.Optimizer or SgdMomentum',
    { functionName: 'Trainer', parameter: 'optimizer' },
  );
}
