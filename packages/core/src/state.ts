import { describeValue, fail } from './errors';

/**
 * The one saved-state format of tailwise: `{ kind: 'tailwise.<Name>', version, ...payload }`.
 * Every estimator's `toJSON` (EmaPrior, RatioAdapter, PseudoLabelStore, SinkhornQueue,
 * EmaWeights, Rng, …) and every recipe state and checkpoint part is one of these, so a single
 * reader ({@link readStateEnvelope}) checks them all the same way.
 */
export type StateEnvelope<K extends string = string, P extends object = object> = {
  readonly kind: K;
  readonly version: number;
} & P;

const RESERVED = ['kind', 'version'] as const;

function assertKind(kind: unknown, functionName: string): asserts kind is string {
  if (typeof kind !== 'string' || !/^tailwise\.[A-Za-z][A-Za-z0-9]*$/.test(kind)) {
    fail(
      'INVALID_OPTION',
      functionName,
      'kind',
      "a state kind 'tailwise.<Name>' (e.g. 'tailwise.EmaPrior')",
      describeValue(kind),
    );
  }
}

function assertVersion(version: unknown, functionName: string): asserts version is number {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    fail('INVALID_OPTION', functionName, 'version', 'an integer ≥ 1', describeValue(version));
  }
}

/**
 * Wraps `payload` (plain JSON values) in the state envelope: a new object
 * `{ kind, version, ...payload }`. `kind` is `'tailwise.<Name>'`, `version` an integer ≥ 1
 * that changes whenever the payload's meaning does.
 *
 * @example
 * ```ts
 * toJSON() { return stateEnvelope('tailwise.EmaPrior', 1, { momentum: 0.9, value: [0.5, 0.5] }); }
 * ```
 * @throws `INVALID_OPTION` for a malformed `kind` or `version`, or a payload that has its own
 *   `kind` or `version` key.
 */
export function stateEnvelope<K extends string, P extends object>(
  kind: K,
  version: number,
  payload: P,
): StateEnvelope<K, P> {
  const fn = 'stateEnvelope';
  assertKind(kind, fn);
  assertVersion(version, fn);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    fail('INVALID_OPTION', fn, 'payload', 'a plain object', describeValue(payload));
  }
  for (const key of RESERVED) {
    if (Object.hasOwn(payload, key)) {
      fail(
        'INVALID_OPTION',
        fn,
        'payload',
        'an object without a `kind` or `version` key',
        `key "${key}"`,
      );
    }
  }
  return { kind, version, ...payload } as StateEnvelope<K, P>;
}

/**
 * Reads a state written by {@link stateEnvelope}: checks that `json` is an object whose
 * `kind` and `version` are exactly the expected ones (and, with `keys`, that it has no key
 * outside `keys`), and returns the payload, a new object without `kind` and `version`. The
 * caller checks the payload's fields.
 *
 * @param json The parsed state (`JSON.parse` output or a `toJSON()` result).
 * @param kind The expected kind, `'tailwise.<Name>'`.
 * @param version The expected version.
 * @param functionName The public function refusing it, e.g. `'EmaPrior.fromJSON'`.
 * @param keys The payload keys the reader knows; any other key is refused.
 * @throws `INVALID_FORMAT` (parameter `json`) naming the expected kind and version and what
 *   was found: not an object, another kind (including the legacy `format: '…'` spellings),
 *   another version, or an unknown key.
 *
 * @example
 * ```ts
 * const { momentum, value } = readStateEnvelope(json, 'tailwise.EmaPrior', 1, 'EmaPrior.fromJSON',
 *   ['numClasses', 'momentum', 'updates', 'value']);
 * ```
 */
export function readStateEnvelope(
  json: unknown,
  kind: string,
  version: number,
  functionName: string,
  keys?: readonly string[],
): Record<string, unknown> {
  assertKind(kind, 'readStateEnvelope');
  assertVersion(version, 'readStateEnvelope');
  const expected = `a ${kind} version ${version} state`;
  const refuse = (got: string): never =>
    fail('INVALID_FORMAT', functionName, 'json', expected, got);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) refuse(describeValue(json));
  const j = json as Record<string, unknown>;
  if (j.kind !== kind) {
    if (j.kind === undefined && typeof j.format === 'string')
      refuse(`format ${describeValue(j.format)} (no kind)`);
    refuse(`kind ${describeValue(j.kind)}`);
  }
  if (j.version !== version) refuse(`${kind} version ${describeValue(j.version)}`);
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(j)) {
    if (key === 'kind' || key === 'version') continue;
    if (keys !== undefined && !keys.includes(key)) refuse(`unknown key ${JSON.stringify(key)}`);
    payload[key] = value;
  }
  return payload;
}
