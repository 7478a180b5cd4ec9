import { rngFromJSON, TailwiseError } from '@tailwise/core';
import { RatioAdapter } from '@tailwise/masking';
import { type Classifier, EmaWeights, type EmaWeightsJSON } from '@tailwise/models';
import { EmaPrior } from '@tailwise/priors';
import {
  MultiLabelPseudoLabelStore,
  PseudoLabelStore,
  SinkhornQueue,
} from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import { fromBase64, toBase64 } from './base64';

/**
 * The recipe state ↔ JSON. A state is a tree of plain objects and arrays whose leaves are
 * numbers, strings, booleans, typed arrays, tensors, `Rng`s and the leaf packages' estimators
 * (anything with `toJSON()` / `toJSONAsync()` returning an envelope with a `kind`). Leaves that
 * JSON cannot carry exactly are tagged `{ $: ... }`; numbers keep every bit (JSON numbers are
 * doubles, so float32 values round-trip).
 */
export type EncodedState = unknown;

const TYPED = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
  float64: Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

interface RestoreContext {
  model: Classifier;
}

/**
 * Estimators by envelope kind, spelling-insensitive (`tailwise.EmaPrior`, `tailwise/ema-prior`
 * and `ema-prior` all name the same class).
 */
const RESTORERS: Record<string, (json: unknown, ctx: RestoreContext) => unknown> = {
  emaprior: (j) => EmaPrior.fromJSON(j),
  ratioadapter: (j) => RatioAdapter.fromJSON(j),
  pseudolabelstore: (j) => PseudoLabelStore.fromJSON(j),
  multilabelpseudolabelstore: (j) => MultiLabelPseudoLabelStore.fromJSON(j),
  sinkhornqueue: (j) => SinkhornQueue.fromJSON(j),
  emaweights: (j, ctx) => EmaWeights.fromJSON(ctx.model, j as EmaWeightsJSON),
};

function normalizeKind(kind: string): string {
  return kind
    .toLowerCase()
    .replace(/^tailwise[./:]?/, '')
    .replace(/[^a-z0-9]/g, '');
}

function envelopeKind(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const j = json as { kind?: unknown; format?: unknown };
  const kind = typeof j.kind === 'string' ? j.kind : j.format;
  return typeof kind === 'string' ? kind : undefined;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function isRng(v: object): boolean {
  const r = v as { split?: unknown; nextSeed?: unknown; toJSON?: unknown };
  return (
    typeof r.split === 'function' &&
    typeof r.nextSeed === 'function' &&
    typeof r.toJSON === 'function'
  );
}

function typedName(v: ArrayBufferView): TypedName | undefined {
  for (const [name, ctor] of Object.entries(TYPED)) if (v instanceof ctor) return name as TypedName;
  return undefined;
}

function cannot(path: string, what: string): never {
  throw new TailwiseError(
    'INVALID_STATE',
    `saveCheckpoint: the recipe state at \`${path}\` is ${what}, which a checkpoint cannot hold (use plain data, typed arrays, tensors, Rngs or estimators with toJSON)`,
    { functionName: 'saveCheckpoint', parameter: path },
  );
}

/** Encodes a recipe state as JSON-safe data (reads tensors back with `await data()`). */
export async function encodeState(value: unknown, path = 'state'): Promise<EncodedState> {
  if (value === undefined) return { $: 'undefined' };
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : { $: 'number', value: String(value) };
  if (typeof value !== 'object') cannot(path, `a ${typeof value}`);
  if (value instanceof tf.Tensor) {
    const data = await value.data();
    return {
      $: 'tensor',
      dtype: value.dtype,
      shape: [...value.shape],
      data: toBase64(data as ArrayBufferView),
    };
  }
  if (ArrayBuffer.isView(value)) {
    const name = typedName(value);
    if (name === undefined) cannot(path, `a ${value.constructor.name}`);
    return { $: 'typed', type: name, data: toBase64(value) };
  }
  if (Array.isArray(value))
    return Promise.all(value.map((v, i) => encodeState(v, `${path}[${i}]`)));
  if (isRng(value)) return { $: 'rng', state: (value as { toJSON(): unknown }).toJSON() };
  const withJson = value as { toJSON?: () => unknown; toJSONAsync?: () => Promise<unknown> };
  if (typeof withJson.toJSONAsync === 'function' || typeof withJson.toJSON === 'function') {
    const json = await (withJson.toJSONAsync ? withJson.toJSONAsync() : withJson.toJSON!());
    const kind = envelopeKind(json);
    if (kind === undefined || RESTORERS[normalizeKind(kind)] === undefined)
      cannot(path, `an object whose toJSON() has no known \`kind\` (${String(kind)})`);
    return { $: 'estimator', json };
  }
  if (!isPlainObject(value)) cannot(path, `an instance of ${value.constructor.name}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await encodeState(v, `${path}.${k}`);
  return out;
}

function corrupt(path: string, what: string): never {
  throw new TailwiseError(
    'INVALID_FORMAT',
    `loadCheckpoint: the saved recipe state at \`${path}\` is ${what}`,
    { functionName: 'loadCheckpoint', parameter: path },
  );
}

/** Rebuilds a state from {@link encodeState}; estimators come back through their `fromJSON`. */
export function decodeState(value: EncodedState, ctx: RestoreContext, path = 'state'): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => decodeState(v, ctx, `${path}[${i}]`));
  const v = value as Record<string, unknown>;
  switch (v.$) {
    case undefined:
      break;
    case 'undefined':
      return undefined;
    case 'number':
      return Number(v.value);
    case 'tensor': {
      const ctor = TYPED[v.dtype === 'int32' ? 'int32' : 'float32'];
      const data = fromBase64(String(v.data), ctor);
      if (!Array.isArray(v.shape) || data.length !== v.shape.reduce((a, b) => a * b, 1))
        corrupt(path, 'a tensor whose data do not match its shape');
      return tf.tensor(
        data as Float32Array | Int32Array,
        v.shape as number[],
        v.dtype as tf.DataType,
      );
    }
    case 'typed': {
      const ctor = TYPED[v.type as TypedName];
      if (ctor === undefined) corrupt(path, `a typed array of unknown type ${String(v.type)}`);
      return fromBase64(String(v.data), ctor);
    }
    case 'rng':
      return rngFromJSON(v.state);
    case 'estimator': {
      const kind = envelopeKind(v.json);
      const restore = kind === undefined ? undefined : RESTORERS[normalizeKind(kind)];
      if (restore === undefined) corrupt(path, `an estimator of unknown kind ${String(kind)}`);
      return restore(v.json, ctx);
    }
    default:
      corrupt(path, `tagged ${String(v.$)}, which this version does not know`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = decodeState(x, ctx, `${path}.${k}`);
  return out;
}

/** Frees every tensor and estimator in a state (typed arrays and numbers need nothing). */
export function disposeState(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    value.dispose();
    return;
  }
  if (ArrayBuffer.isView(value) || isRng(value)) return;
  if (Array.isArray(value)) {
    for (const v of value) disposeState(v, seen);
    return;
  }
  const d = value as { dispose?: () => void };
  if (typeof d.dispose === 'function' && !isPlainObject(value)) {
    d.dispose();
    return;
  }
  for (const v of Object.values(value)) disposeState(v, seen);
}
