// Table-driven bad-input suite across the leaf packages (docs/reliability.md). Every row must end
// as a TailwiseError with the expected code naming the expected parameter, with no tensor left
// behind. The count of rows is asserted so a table that shrinks by accident fails.
import { createRng, setValidation } from '@tailwise/core';
import {
  longTailCounts,
  mixup,
  readIdx,
  strongAugment,
  superimpose,
  weakAugment,
} from '@tailwise/datasets';
import {
  assumeNegativeLoss,
  asymmetricLoss,
  binaryCrossEntropy,
  binaryFocalLoss,
  bootstrapLoss,
  ccLoss,
  cpuRisk,
  crossEntropy,
  generalizedCrossEntropy,
  jensenShannonLoss,
  logitAdjustedCrossEntropy,
  missingAsNegative,
  softmaxFocalLoss,
  symmetricCrossEntropy,
  weakAssumeNegativeLoss,
} from '@tailwise/losses';
import { plmMask, RatioAdapter, subsampleUnknown } from '@tailwise/masking';
import {
  argmaxDistribution,
  classPrior,
  EmaPrior,
  effectiveNumberWeights,
  inferenceLogitAdjustment,
  logitAdjustment,
  meanDistribution,
  positiveNegativeRatio,
  progressiveTarget,
} from '@tailwise/priors';
import {
  distributionAlignment,
  fixMatchPseudoLabels,
  plrPseudoLabels,
  prodenPseudoLabels,
  selectSmallLoss,
  sinkhornPseudoLabels,
} from '@tailwise/pseudo-labels';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  B,
  type BadInputRow,
  C,
  disposeFixtures,
  expectRow,
  type Fixtures,
  makeFixtures,
} from './fixtures';

// Rows are built lazily against fixtures created in beforeAll.
let f: Fixtures;
const rows: BadInputRow[] = [];
const row = (name: string, call: () => unknown, code: string, parameter: string) =>
  rows.push({ name, call, code, parameter });

type AnyLoss = (labels: unknown, logits: unknown, options?: unknown) => tf.Tensor;

// ---------------------------------------------------------------- single-label losses
const zeros = () => tf.zeros([C]);
const sampleLosses: [string, AnyLoss, Record<string, unknown>[]][] = [
  [
    'crossEntropy',
    crossEntropy as unknown as AnyLoss,
    [{ labelSmoothing: 2 }, { labelSmoothing: -0.1 }, { labelSmoothing: Number.NaN }],
  ],
  [
    'softmaxFocalLoss',
    softmaxFocalLoss as unknown as AnyLoss,
    [{ gamma: -1 }, { gamma: Number.POSITIVE_INFINITY }, { gamma: '2' }],
  ],
  [
    'generalizedCrossEntropy',
    generalizedCrossEntropy as unknown as AnyLoss,
    [{ q: 0 }, { q: 1.5 }, { q: Number.NaN }],
  ],
  [
    'symmetricCrossEntropy',
    symmetricCrossEntropy as unknown as AnyLoss,
    [{ alpha: -1 }, { beta: -0.5 }, { labelFloor: 0 }],
  ],
  [
    'bootstrapLoss',
    bootstrapLoss as unknown as AnyLoss,
    [{ beta: 2 }, { beta: -1 }, { beta: null }],
  ],
  [
    'jensenShannonLoss',
    jensenShannonLoss as unknown as AnyLoss,
    [{ pi1: 0 }, { pi1: 1 }, { pi1: 'half' }],
  ],
  [
    'logitAdjustedCrossEntropy',
    ((labels: unknown, logits: unknown, options: Record<string, unknown> = {}) =>
      tf.tidy(() =>
        (logitAdjustedCrossEntropy as unknown as AnyLoss)(labels, logits, {
          adjustment: options.adjustment ?? zeros(),
          ...options,
        }),
      )) as AnyLoss,
    [{ labelSmoothing: 1 }, { adjustment: [1, 2] }, { adjustment: [0, Number.NaN, 0, 0] }],
  ],
];

for (const [fn, loss, badOptions] of sampleLosses) {
  const call = (labels: () => unknown, logits: () => unknown, options?: () => unknown) => () =>
    loss(labels(), logits(), options?.());
  const L = () => f.labels;
  const X = () => f.logits;
  row(
    `${fn}: NaN logits`,
    call(L, () => f.logitsNaN),
    'NON_FINITE',
    'logits',
  );
  row(
    `${fn}: +Inf logits`,
    call(L, () => f.logitsInf),
    'NON_FINITE',
    'logits',
  );
  row(
    `${fn}: −Inf logits`,
    call(L, () => f.logitsNegInf),
    'NON_FINITE',
    'logits',
  );
  row(
    `${fn}: NaN in host logits`,
    call(L, () => [
      [0, Number.NaN, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]),
    'NON_FINITE',
    'logits',
  );
  row(
    `${fn}: label 4 with C = 4`,
    call(() => f.labelsTooHigh, X),
    'INVALID_VALUE',
    'labels',
  );
  row(
    `${fn}: label −1`,
    call(() => f.labelsNegative, X),
    'INVALID_VALUE',
    'labels',
  );
  row(
    `${fn}: non-integer host labels`,
    call(() => [0, 1.5, 2], X),
    'INVALID_VALUE',
    'labels',
  );
  row(
    `${fn}: host label 4`,
    call(() => [0, 4, 2], X),
    'INVALID_VALUE',
    'labels',
  );
  row(
    `${fn}: float32 class-index tensor`,
    call(() => f.labelsFloat, X),
    'DTYPE_MISMATCH',
    'labels',
  );
  row(
    `${fn}: labels of the wrong length`,
    call(() => f.labelsShort, X),
    'SHAPE_MISMATCH',
    'labels',
  );
  row(
    `${fn}: soft targets summing to 0.5`,
    call(() => f.softHalf, X),
    'NOT_A_DISTRIBUTION',
    'labels',
  );
  row(
    `${fn}: negative soft targets`,
    call(() => f.softNegative, X),
    'NOT_A_DISTRIBUTION',
    'labels',
  );
  row(
    `${fn}: NaN soft targets`,
    call(() => f.softNaN, X),
    'NOT_A_DISTRIBUTION',
    'labels',
  );
  row(
    `${fn}: targets of another width`,
    call(() => f.wrongWidth, X),
    'SHAPE_MISMATCH',
    'labels',
  );
  row(
    `${fn}: rank-1 logits`,
    call(L, () => f.rank1),
    'SHAPE_MISMATCH',
    'logits',
  );
  row(
    `${fn}: rank-3 logits`,
    call(L, () => f.rank3),
    'SHAPE_MISMATCH',
    'logits',
  );
  row(
    `${fn}: string logits`,
    call(L, () => 'logits'),
    'INVALID_VALUE',
    'logits',
  );
  row(
    `${fn}: null logits`,
    call(L, () => null),
    'INVALID_VALUE',
    'logits',
  );
  row(
    `${fn}: ragged logits`,
    call(L, () => [
      [1, 2, 3, 4],
      [1, 2],
    ]),
    'INVALID_VALUE',
    'logits',
  );
  row(
    `${fn}: disposed logits`,
    call(L, () => f.disposed),
    'INVALID_VALUE',
    'logits',
  );
  row(
    `${fn}: negative class weights`,
    call(L, X, () => ({ weights: [1, -1, 1, 1] })),
    'INVALID_VALUE',
    'weights',
  );
  row(
    `${fn}: NaN class weights`,
    call(L, X, () => ({ weights: f.priorNaN })),
    'NON_FINITE',
    'weights',
  );
  row(
    `${fn}: class weights of the wrong length`,
    call(L, X, () => ({ weights: [1, 1] })),
    'SHAPE_MISMATCH',
    'weights',
  );
  row(
    `${fn}: negative mask`,
    call(L, X, () => ({ mask: [1, -1, 1] })),
    'INVALID_VALUE',
    'mask',
  );
  row(
    `${fn}: NaN mask`,
    call(L, X, () => ({ mask: [1, Number.NaN, 1] })),
    'NON_FINITE',
    'mask',
  );
  row(
    `${fn}: mask of the wrong shape`,
    call(L, X, () => ({ mask: [1, 1] })),
    'SHAPE_MISMATCH',
    'mask',
  );
  row(
    `${fn}: reduction 'avg'`,
    call(L, X, () => ({ reduction: 'avg' })),
    'INVALID_OPTION',
    'reduction',
  );
  row(
    `${fn}: typo'd option 'reduce'`,
    call(L, X, () => ({ reduce: 'sum' })),
    'INVALID_OPTION',
    'reduce',
  );
  row(
    `${fn}: weightsPer 'row'`,
    call(L, X, () => ({ weightsPer: 'row' })),
    'INVALID_OPTION',
    'weightsPer',
  );
  for (const bad of badOptions) {
    const key = Object.keys(bad)[0]!;
    const code =
      key === 'adjustment'
        ? Array.isArray(bad[key]) && (bad[key] as number[]).length === 2
          ? 'SHAPE_MISMATCH'
          : 'NON_FINITE'
        : 'INVALID_OPTION';
    row(
      `${fn}: ${key} = ${String(bad[key])}`,
      call(L, X, () => bad),
      code,
      key,
    );
  }
}

// ---------------------------------------------------------------- multi-label losses
const elementLosses: [string, AnyLoss, Record<string, unknown>[]][] = [
  [
    'binaryCrossEntropy',
    binaryCrossEntropy as unknown as AnyLoss,
    [{ labelSmoothing: 1 }, { posWeight: -1 }, { posWeight: [1, -2, 1, 1] }],
  ],
  ['binaryFocalLoss', binaryFocalLoss as unknown as AnyLoss, [{ gamma: -1 }, { alpha: 2 }]],
  [
    'asymmetricLoss',
    asymmetricLoss as unknown as AnyLoss,
    [{ gammaNeg: -1 }, { gammaPos: -1 }, { clip: 1 }],
  ],
];
for (const [fn, loss, badOptions] of elementLosses) {
  const call = (labels: () => unknown, logits: () => unknown, options?: () => unknown) => () =>
    loss(labels(), logits(), options?.());
  const Y = () => f.multi;
  const X = () => f.logits;
  row(
    `${fn}: NaN logits`,
    call(Y, () => f.logitsNaN),
    'NON_FINITE',
    'logits',
  );
  row(
    `${fn}: +Inf logits`,
    call(Y, () => f.logitsInf),
    'NON_FINITE',
    'logits',
  );
  row(
    `${fn}: −Inf logits`,
    call(Y, () => f.logitsNegInf),
    'NON_FINITE',
    'logits',
  );
  row(
    `${fn}: label 2`,
    call(() => f.multiTwo, X),
    'INVALID_VALUE',
    'labels',
  );
  row(
    `${fn}: label −1`,
    call(() => f.multiMinusOne, X),
    'INVALID_VALUE',
    'labels',
  );
  row(
    `${fn}: NaN label`,
    call(() => f.multiNaN, X),
    'NON_FINITE',
    'labels',
  );
  row(
    `${fn}: labels of another width`,
    call(() => f.wrongWidth, X),
    'SHAPE_MISMATCH',
    'labels',
  );
  row(
    `${fn}: rank-1 logits`,
    call(Y, () => f.rank1),
    'SHAPE_MISMATCH',
    'logits',
  );
  row(
    `${fn}: disposed logits`,
    call(Y, () => f.disposed),
    'INVALID_VALUE',
    'logits',
  );
  row(
    `${fn}: negative weights`,
    call(Y, X, () => ({ weights: [1, -1, 1, 1] })),
    'INVALID_VALUE',
    'weights',
  );
  row(
    `${fn}: NaN weights`,
    call(Y, X, () => ({ weights: [1, Number.NaN, 1, 1] })),
    'NON_FINITE',
    'weights',
  );
  row(
    `${fn}: negative mask`,
    call(Y, X, () => ({ mask: [-1, 1, 1, 1] })),
    'INVALID_VALUE',
    'mask',
  );
  row(
    `${fn}: reduction 'max'`,
    call(Y, X, () => ({ reduction: 'max' })),
    'INVALID_OPTION',
    'reduction',
  );
  row(
    `${fn}: typo'd option 'weight'`,
    call(Y, X, () => ({ weight: [1] })),
    'INVALID_OPTION',
    'weight',
  );
  for (const bad of badOptions) {
    const key = Object.keys(bad)[0]!;
    const code = Array.isArray(bad[key]) ? 'INVALID_VALUE' : 'INVALID_OPTION';
    row(
      `${fn}: ${key} = ${String(bad[key])}`,
      call(Y, X, () => bad),
      code,
      key,
    );
  }
}

// ---------------------------------------------------------------- ccLoss
{
  const fn = 'ccLoss';
  const cc = ccLoss as unknown as AnyLoss;
  row(
    `${fn}: a row without candidate`,
    () => cc(f.candidatesEmptyRow, f.logits),
    'EMPTY_CANDIDATE_SET',
    'candidates',
  );
  row(
    `${fn}: candidate entry 0.5`,
    () => cc(f.candidatesHalf, f.logits),
    'INVALID_VALUE',
    'candidates',
  );
  row(`${fn}: NaN logits`, () => cc(f.candidates, f.logitsNaN), 'NON_FINITE', 'logits');
  row(`${fn}: Inf logits`, () => cc(f.candidates, f.logitsInf), 'NON_FINITE', 'logits');
  row(
    `${fn}: candidates of another width`,
    () => cc(f.wrongWidth, f.logits),
    'SHAPE_MISMATCH',
    'candidates',
  );
  row(
    `${fn}: negative weights`,
    () => cc(f.candidates, f.logits, { weights: [1, -1, 1] }),
    'INVALID_VALUE',
    'weights',
  );
  row(
    `${fn}: unknown option`,
    () => cc(f.candidates, f.logits, { lambda: 1 }),
    'INVALID_OPTION',
    'lambda',
  );
}

// ---------------------------------------------------------------- multi-label-state losses (paper 001) and cpuRisk (paper 003)
for (const [fn, loss] of [
  ['assumeNegativeLoss', assumeNegativeLoss],
  ['weakAssumeNegativeLoss', weakAssumeNegativeLoss],
] as const) {
  const l = loss as unknown as AnyLoss;
  row(`${fn}: NaN logits`, () => l(f.multiMinusOne, f.logitsNaN), 'NON_FINITE', 'logits');
  row(`${fn}: Inf logits`, () => l(f.multiMinusOne, f.logitsInf), 'NON_FINITE', 'logits');
  row(`${fn}: state 2`, () => l(f.multiTwo, f.logits), 'INVALID_VALUE', 'state');
  row(`${fn}: NaN state`, () => l(f.multiNaN, f.logits), 'INVALID_VALUE', 'state');
  row(`${fn}: state of another width`, () => l(f.wrongWidth, f.logits), 'SHAPE_MISMATCH', 'state');
  row(
    `${fn}: negative weights`,
    () => l(f.multi, f.logits, { weights: [1, -1, 1, 1] }),
    'INVALID_VALUE',
    'weights',
  );
}
row('missingAsNegative: state 2', () => missingAsNegative(f.multiTwo), 'INVALID_VALUE', 'state');
row('missingAsNegative: rank-1 state', () => missingAsNegative(f.rank1), 'SHAPE_MISMATCH', 'state');
{
  const cr =
    (labels: () => unknown, logits: () => unknown, o: Record<string, unknown> = {}) =>
    () =>
      cpuRisk(
        labels() as tf.Tensor,
        logits() as tf.Tensor,
        { pi2: 0.25, divergence: 'ce', ...o } as never,
      );
  row(
    'cpuRisk: NaN logits',
    cr(
      () => f.labels,
      () => f.logitsNaN,
    ),
    'NON_FINITE',
    'logits',
  );
  row(
    'cpuRisk: label 4 with C = 4',
    cr(
      () => f.labelsTooHigh,
      () => f.logits,
    ),
    'INVALID_VALUE',
    'labels',
  );
  row(
    'cpuRisk: soft labels summing to 0.5',
    cr(
      () => f.softHalf,
      () => f.logits,
    ),
    'NOT_A_DISTRIBUTION',
    'labels',
  );
  row(
    'cpuRisk: pi2 0',
    cr(
      () => f.labels,
      () => f.logits,
      { pi2: 0 },
    ),
    'INVALID_OPTION',
    'pi2',
  );
  row(
    'cpuRisk: pi1 2',
    cr(
      () => f.labels,
      () => f.logits,
      { pi1: 2 },
    ),
    'INVALID_OPTION',
    'pi1',
  );
  row(
    'cpuRisk: divergence typo',
    cr(
      () => f.labels,
      () => f.logits,
      { divergence: 'js' },
    ),
    'INVALID_OPTION',
    'divergence',
  );
}

// ---------------------------------------------------------------- partial-label pseudo-labels
const withoutPrior = (o: unknown) => {
  if (o === undefined) return undefined;
  const { prior: _prior, ...rest } = o as Record<string, unknown>;
  return Object.keys(rest).length === 0 ? undefined : rest;
};
type Pll = (candidates: unknown, logits: unknown, options?: unknown) => tf.Tensor;
const pllRules: [string, Pll, [string, unknown, string, string][]][] = [
  ['prodenPseudoLabels', (s, l) => prodenPseudoLabels(s as tf.Tensor, l as tf.Tensor), []],
  [
    'plrPseudoLabels',
    (s, l, o) =>
      plrPseudoLabels(
        s as tf.Tensor,
        l as tf.Tensor,
        (o as { prior?: tf.Tensor })?.prior ?? f.prior,
        withoutPrior(o) as never,
      ),
    [
      ['lambda 0', { lambda: 0 }, 'INVALID_OPTION', 'lambda'],
      ['m −1', { m: -1 }, 'INVALID_OPTION', 'm'],
      ['unknown option', { mu: 1 }, 'INVALID_OPTION', 'mu'],
    ],
  ],
  [
    'sinkhornPseudoLabels',
    (s, l, o) =>
      sinkhornPseudoLabels(
        s as tf.Tensor,
        l as tf.Tensor,
        (o as { prior?: tf.Tensor })?.prior ?? f.prior,
        withoutPrior(o) as never,
      ),
    [
      ['lambda 0', { lambda: 0 }, 'INVALID_OPTION', 'lambda'],
      ['iterations 0', { iterations: 0 }, 'INVALID_OPTION', 'iterations'],
      ['iterations 1.5', { iterations: 1.5 }, 'INVALID_OPTION', 'iterations'],
      ['queue of another width', { queue: [[0.5, 0.5]] }, 'SHAPE_MISMATCH', 'queue'],
      ['negative queue rows', { queue: [[0.5, -0.5, 0.5, 0.5]] }, 'INVALID_VALUE', 'queue'],
    ],
  ],
];
for (const [fn, rule, extra] of pllRules) {
  row(
    `${fn}: a row without candidate`,
    () => rule(f.candidatesEmptyRow, f.logits),
    'EMPTY_CANDIDATE_SET',
    'candidates',
  );
  row(
    `${fn}: candidate entry 0.5`,
    () => rule(f.candidatesHalf, f.logits),
    'INVALID_VALUE',
    'candidates',
  );
  row(`${fn}: NaN logits`, () => rule(f.candidates, f.logitsNaN), 'NON_FINITE', 'logits');
  row(`${fn}: +Inf logits`, () => rule(f.candidates, f.logitsInf), 'NON_FINITE', 'logits');
  row(`${fn}: −Inf logits`, () => rule(f.candidates, f.logitsNegInf), 'NON_FINITE', 'logits');
  row(
    `${fn}: logits of another width`,
    () => rule(f.candidates, f.wrongWidth),
    'SHAPE_MISMATCH',
    'logits',
  );
  row(`${fn}: rank-1 candidates`, () => rule(f.rank1, f.logits), 'SHAPE_MISMATCH', 'candidates');
  row(`${fn}: disposed logits`, () => rule(f.candidates, f.disposed), 'INVALID_VALUE', 'logits');
  if (fn !== 'prodenPseudoLabels') {
    row(
      `${fn}: negative prior`,
      () => rule(f.candidates, f.logits, { prior: f.priorNegative }),
      'NOT_A_DISTRIBUTION',
      'prior',
    );
    row(
      `${fn}: prior summing to 0.5`,
      () => rule(f.candidates, f.logits, { prior: f.priorHalf }),
      'NOT_A_DISTRIBUTION',
      'prior',
    );
    row(
      `${fn}: NaN prior`,
      () => rule(f.candidates, f.logits, { prior: f.priorNaN }),
      'NOT_A_DISTRIBUTION',
      'prior',
    );
    row(
      `${fn}: prior over 2 classes`,
      () => rule(f.candidates, f.logits, { prior: f.priorShort }),
      'SHAPE_MISMATCH',
      'prior',
    );
    row(
      `${fn}: host prior summing to 2`,
      () => rule(f.candidates, f.logits, { prior: [1, 0.5, 0.25, 0.25] }),
      'NOT_A_DISTRIBUTION',
      'prior',
    );
  }
  for (const [what, options, code, parameter] of extra) {
    row(`${fn}: ${what}`, () => rule(f.candidates, f.logits, options), code, parameter);
  }
}
// Sinkhorn's product form.
row(
  'sinkhornPseudoLabels (product form): negative entries',
  () => sinkhornPseudoLabels([[0.5, -0.1, 0.3, 0.3]], f.prior),
  'INVALID_VALUE',
  'probsTimesCandidates',
);
row(
  'sinkhornPseudoLabels (product form): NaN entries',
  () => sinkhornPseudoLabels([[0.5, Number.NaN, 0.3, 0.3]], f.prior),
  'NON_FINITE',
  'probsTimesCandidates',
);
row(
  'sinkhornPseudoLabels (product form): prior summing to 0.5',
  () => sinkhornPseudoLabels([[0.5, 0.1, 0.3, 0.1]], f.priorHalf),
  'NOT_A_DISTRIBUTION',
  'prior',
);

// ---------------------------------------------------------------- selection, FixMatch, DA
{
  const w = () => tf.softmax(f.logits);
  const ssl = (o: unknown, targets?: () => unknown, logits?: () => unknown) => () =>
    tf.tidy(() =>
      selectSmallLoss(
        (targets?.() ?? w()) as tf.Tensor,
        (logits?.() ?? f.logits) as tf.Tensor,
        (typeof o === 'function' ? o() : o) as never,
      ),
    );
  row(
    'selectSmallLoss: NaN logits',
    ssl({ rho: 0.5 }, undefined, () => f.logitsNaN),
    'NON_FINITE',
    'logits',
  );
  row(
    'selectSmallLoss: Inf logits',
    ssl({ rho: 0.5 }, undefined, () => f.logitsInf),
    'NON_FINITE',
    'logits',
  );
  row(
    'selectSmallLoss: targets not distributions',
    ssl({ rho: 0.5 }, () => f.softHalf),
    'NOT_A_DISTRIBUTION',
    'targets',
  );
  row(
    'selectSmallLoss: NaN targets',
    ssl({ rho: 0.5 }, () => f.softNaN),
    'NOT_A_DISTRIBUTION',
    'targets',
  );
  row('selectSmallLoss: rho missing', ssl({}), 'INVALID_OPTION', 'rho');
  row('selectSmallLoss: rho 2', ssl({ rho: 2 }), 'INVALID_OPTION', 'rho');
  row('selectSmallLoss: quota typo', ssl({ rho: 0.5, quota: 'class' }), 'INVALID_OPTION', 'quota');
  row(
    "selectSmallLoss: quota 'prior' without prior",
    ssl({ rho: 0.5, quota: 'prior' }),
    'INVALID_OPTION',
    'prior',
  );
  row(
    "selectSmallLoss: quota 'prior' with a negative prior",
    ssl(() => ({ rho: 0.5, quota: 'prior', prior: f.priorNegative })),
    'NOT_A_DISTRIBUTION',
    'prior',
  );
  row(
    'selectSmallLoss: logits of another width',
    ssl({ rho: 0.5 }, undefined, () => f.wrongWidth),
    'SHAPE_MISMATCH',
    'logits',
  );
  row(
    'selectSmallLoss: confidenceOverride 2',
    ssl({ rho: 0.5, confidenceOverride: 2 }),
    'INVALID_OPTION',
    'confidenceOverride',
  );

  row(
    'fixMatchPseudoLabels: NaN logits',
    () => fixMatchPseudoLabels(f.logitsNaN),
    'NON_FINITE',
    'logits',
  );
  row(
    'fixMatchPseudoLabels: +Inf logits',
    () => fixMatchPseudoLabels(f.logitsInf),
    'NON_FINITE',
    'logits',
  );
  row(
    'fixMatchPseudoLabels: −Inf logits',
    () => fixMatchPseudoLabels(f.logitsNegInf),
    'NON_FINITE',
    'logits',
  );
  row(
    'fixMatchPseudoLabels: threshold 2',
    () => fixMatchPseudoLabels(f.logits, { threshold: 2 }),
    'INVALID_OPTION',
    'threshold',
  );
  row(
    'fixMatchPseudoLabels: threshold −0.1',
    () => fixMatchPseudoLabels(f.logits, { threshold: -0.1 }),
    'INVALID_OPTION',
    'threshold',
  );
  row(
    'fixMatchPseudoLabels: rank-1 logits',
    () => fixMatchPseudoLabels(f.rank1),
    'SHAPE_MISMATCH',
    'logits',
  );
  row(
    'fixMatchPseudoLabels: unknown option',
    () => fixMatchPseudoLabels(f.logits, { tau: 0.9 } as never),
    'INVALID_OPTION',
    'tau',
  );

  const da = (probs: unknown, o: unknown) => () =>
    distributionAlignment(probs as tf.Tensor, o as never);
  row(
    'distributionAlignment: NaN probs',
    () => da(f.probsNaN, { from: f.prior, to: f.prior })(),
    'NOT_A_DISTRIBUTION',
    'probs',
  );
  row(
    'distributionAlignment: rows not summing to 1',
    () => da(f.softHalf, { from: f.prior, to: f.prior })(),
    'NOT_A_DISTRIBUTION',
    'probs',
  );
  row(
    'distributionAlignment: from missing',
    () => da(f.probs, { to: f.prior })(),
    'INVALID_OPTION',
    'from',
  );
  row(
    'distributionAlignment: to missing',
    () => da(f.probs, { from: f.prior })(),
    'INVALID_OPTION',
    'to',
  );
  row(
    'distributionAlignment: negative from',
    () => da(f.probs, { from: f.priorNegative, to: f.prior })(),
    'NOT_A_DISTRIBUTION',
    'from',
  );
  row(
    'distributionAlignment: to summing to 0.5',
    () => da(f.probs, { from: f.prior, to: f.priorHalf })(),
    'NOT_A_DISTRIBUTION',
    'to',
  );
  row(
    'distributionAlignment: NaN to',
    () => da(f.probs, { from: f.prior, to: f.priorNaN })(),
    'NOT_A_DISTRIBUTION',
    'to',
  );
  row(
    'distributionAlignment: from over 2 classes',
    () => da(f.probs, { from: f.priorShort, to: f.prior })(),
    'SHAPE_MISMATCH',
    'from',
  );
  row(
    'distributionAlignment: unknown option',
    () => da(f.probs, { from: f.prior, to: f.prior, tau: 1 })(),
    'INVALID_OPTION',
    'tau',
  );
}

// ---------------------------------------------------------------- masking
{
  const ratio = () => tf.tensor1d([0.5, 1, 2, 0.25]);
  const pm =
    (
      labels: () => unknown,
      r: () => unknown = ratio,
      ideal: () => unknown = ratio,
      o: unknown = { seed: 1 },
    ) =>
    () =>
      tf.tidy(() =>
        plmMask(labels() as tf.Tensor, r() as tf.Tensor, ideal() as tf.Tensor, o as never),
      );
  row(
    'plmMask: label 2',
    pm(() => f.multiTwo),
    'INVALID_VALUE',
    'labels',
  );
  row(
    'plmMask: label NaN',
    pm(() => f.multiNaN),
    'INVALID_VALUE',
    'labels',
  );
  row(
    'plmMask: label −1',
    pm(() => f.multiMinusOne),
    'INVALID_VALUE',
    'labels',
  );
  row(
    'plmMask: ratio 0',
    pm(
      () => f.multi,
      () => tf.tensor1d([0.5, 0, 1, 1]),
    ),
    'INVALID_VALUE',
    'ratio',
  );
  row(
    'plmMask: NaN ratio',
    pm(
      () => f.multi,
      () => tf.tensor1d([0.5, Number.NaN, 1, 1]),
    ),
    'NON_FINITE',
    'ratio',
  );
  row(
    'plmMask: negative ratio',
    pm(
      () => f.multi,
      () => [0.5, -1, 1, 1],
    ),
    'INVALID_VALUE',
    'ratio',
  );
  row(
    'plmMask: ideal ratio 0',
    pm(
      () => f.multi,
      ratio,
      () => tf.tensor1d([0, 1, 1, 1]),
    ),
    'INVALID_VALUE',
    'idealRatio',
  );
  row(
    'plmMask: Inf ideal ratio',
    pm(
      () => f.multi,
      ratio,
      () => tf.tensor1d([Number.POSITIVE_INFINITY, 1, 1, 1]),
    ),
    'NON_FINITE',
    'idealRatio',
  );
  row(
    'plmMask: ratio over 2 classes',
    pm(
      () => f.multi,
      () => [1, 1],
    ),
    'SHAPE_MISMATCH',
    'ratio',
  );
  row(
    'plmMask: rank-1 labels',
    pm(() => f.rank1),
    'SHAPE_MISMATCH',
    'labels',
  );
  row(
    'plmMask: unknown option',
    pm(() => f.multi, ratio, ratio, { seed: 1, q: 2 }),
    'INVALID_OPTION',
    'q',
  );

  const adapter = () => new RatioAdapter({ initial: [0.5, 1, 2, 0.25] });
  const observe = (labels: unknown, probs: unknown) => () => {
    const a = adapter();
    try {
      a.observe(labels as tf.Tensor, probs as tf.Tensor);
    } finally {
      a.dispose();
    }
  };
  row(
    'RatioAdapter.observe: NaN probs',
    () => observe(f.multi, f.probsNaN)(),
    'NON_FINITE',
    'probs',
  );
  row(
    'RatioAdapter.observe: probs 1.5',
    () => observe(f.multi, f.probsAbove)(),
    'INVALID_VALUE',
    'probs',
  );
  row(
    'RatioAdapter.observe: label 2',
    () => observe(f.multiTwo, f.probs)(),
    'INVALID_VALUE',
    'labels',
  );
  row(
    'RatioAdapter.observe: probs of another width',
    () => observe(f.multi, f.wrongWidth)(),
    'SHAPE_MISMATCH',
    'probs',
  );
  row(
    'RatioAdapter.observe: labels of another width',
    () => observe(f.wrongWidth, f.wrongWidth)(),
    'SHAPE_MISMATCH',
    'labels',
  );
  row(
    'RatioAdapter: lambda −1',
    () => new RatioAdapter({ initial: [1, 1], lambda: -1 }),
    'INVALID_OPTION',
    'lambda',
  );
  row(
    'RatioAdapter: tau 1',
    () => new RatioAdapter({ initial: [1, 1], tau: 1 }),
    'INVALID_OPTION',
    'tau',
  );
  row(
    'RatioAdapter: unknown option',
    () => new RatioAdapter({ initial: [1, 1], gamma: 1 } as never),
    'INVALID_OPTION',
    'gamma',
  );
  row(
    'RatioAdapter: zero initial ratio',
    () => new RatioAdapter({ initial: [1, 0] }),
    'INVALID_VALUE',
    'initial',
  );
  row(
    'RatioAdapter.fromJSON: garbage',
    () => RatioAdapter.fromJSON({ kind: 'x' }),
    'INVALID_FORMAT',
    'json',
  );

  const su =
    (state: unknown, o: unknown = { q: 0.5, seed: 1 }) =>
    () =>
      subsampleUnknown(state as tf.Tensor, o as never);
  row('subsampleUnknown: state 2', () => su(f.multiTwo)(), 'INVALID_VALUE', 'state');
  row('subsampleUnknown: NaN state', () => su(f.multiNaN)(), 'INVALID_VALUE', 'state');
  row('subsampleUnknown: q 2', () => su(f.multi, { q: 2, seed: 1 })(), 'INVALID_OPTION', 'q');
  row('subsampleUnknown: rank-1 state', () => su(f.rank1)(), 'SHAPE_MISMATCH', 'state');
}

// ---------------------------------------------------------------- priors
{
  row(
    'classPrior: index 4 with C = 4',
    () => classPrior(f.labelsTooHigh, C),
    'INVALID_VALUE',
    'labels',
  );
  row('classPrior: index −1', () => classPrior(f.labelsNegative, C), 'INVALID_VALUE', 'labels');
  row('classPrior: host index 1.5', () => classPrior([0, 1.5], C), 'INVALID_VALUE', 'labels');
  row('classPrior: float32 tensor', () => classPrior(f.labelsFloat, C), 'DTYPE_MISMATCH', 'labels');
  row('classPrior: numClasses 0', () => classPrior(f.labels, 0), 'INVALID_OPTION', 'numClasses');
  row('classPrior: empty labels', () => classPrior([], C), 'SHAPE_MISMATCH', 'labels');
  row('argmaxDistribution: NaN probs', () => argmaxDistribution(f.probsNaN), 'NON_FINITE', 'probs');
  row(
    'argmaxDistribution: a row without candidate',
    () => argmaxDistribution(f.probs, f.candidatesEmptyRow),
    'EMPTY_CANDIDATE_SET',
    'candidates',
  );
  row(
    'argmaxDistribution: candidates of another width',
    () => argmaxDistribution(f.probs, f.wrongWidth),
    'SHAPE_MISMATCH',
    'candidates',
  );
  row(
    'argmaxDistribution: rank-1 probs',
    () => argmaxDistribution(f.rank1),
    'SHAPE_MISMATCH',
    'probs',
  );
  row('meanDistribution: NaN probs', () => meanDistribution(f.probsNaN), 'NON_FINITE', 'probs');
  row('meanDistribution: rank-1 probs', () => meanDistribution(f.rank1), 'SHAPE_MISMATCH', 'probs');

  const ema = () => new EmaPrior({ numClasses: C, momentum: 0.9 });
  const update = (estimate: () => unknown) => () => {
    const p = ema();
    try {
      p.update(estimate() as tf.Tensor);
    } finally {
      p.dispose();
    }
  };
  row(
    'EmaPrior.update: NaN estimate',
    update(() => f.priorNaN),
    'NOT_A_DISTRIBUTION',
    'estimate',
  );
  row(
    'EmaPrior.update: estimate summing to 0.5',
    update(() => f.priorHalf),
    'NOT_A_DISTRIBUTION',
    'estimate',
  );
  row(
    'EmaPrior.update: negative estimate',
    update(() => f.priorNegative),
    'NOT_A_DISTRIBUTION',
    'estimate',
  );
  row(
    'EmaPrior.update: estimate over 2 classes',
    update(() => f.priorShort),
    'SHAPE_MISMATCH',
    'estimate',
  );
  row(
    'EmaPrior: momentum 2',
    () => new EmaPrior({ numClasses: C, momentum: 2 }),
    'INVALID_OPTION',
    'momentum',
  );
  row(
    'EmaPrior: numClasses 0',
    () => new EmaPrior({ numClasses: 0, momentum: 0.9 }),
    'INVALID_OPTION',
    'numClasses',
  );
  row(
    'EmaPrior: initial not a distribution',
    () => new EmaPrior({ numClasses: C, momentum: 0.9, initial: f.priorHalf }),
    'NOT_A_DISTRIBUTION',
    'initial',
  );
  row(
    'EmaPrior: unknown option',
    () => new EmaPrior({ numClasses: C, momentum: 0.9, mu: 1 } as never),
    'INVALID_OPTION',
    'mu',
  );
  row(
    'EmaPrior.fromJSON: garbage',
    () => EmaPrior.fromJSON({ kind: 'nope' }),
    'INVALID_FORMAT',
    'json',
  );
  row('EmaPrior.fromJSON: null', () => EmaPrior.fromJSON(null), 'INVALID_FORMAT', 'json');
  row(
    'EmaPrior.value after dispose',
    () => {
      const p = ema();
      p.dispose();
      return p.value;
    },
    'INVALID_STATE',
    'this',
  );

  row(
    'logitAdjustment: negative current',
    () => logitAdjustment(f.priorNegative, f.prior),
    'NOT_A_DISTRIBUTION',
    'current',
  );
  row(
    'logitAdjustment: target summing to 0.5',
    () => logitAdjustment(f.prior, f.priorHalf),
    'NOT_A_DISTRIBUTION',
    'target',
  );
  row(
    'logitAdjustment: NaN target',
    () => logitAdjustment(f.prior, f.priorNaN),
    'NOT_A_DISTRIBUTION',
    'target',
  );
  row(
    'logitAdjustment: lengths differ',
    () => logitAdjustment(f.prior, f.priorShort),
    'SHAPE_MISMATCH',
    'target',
  );
  row(
    'inferenceLogitAdjustment: pData NaN',
    () => inferenceLogitAdjustment(f.priorNaN),
    'NOT_A_DISTRIBUTION',
    'pData',
  );
  row(
    'inferenceLogitAdjustment: tau −1',
    () => inferenceLogitAdjustment(f.prior, { tau: -1 }),
    'INVALID_OPTION',
    'tau',
  );
  const pt =
    (pData: () => unknown, o: Record<string, unknown> = {}) =>
    () =>
      progressiveTarget(pData() as tf.Tensor, { epoch: 1, totalEpochs: 10, ...o } as never);
  row(
    'progressiveTarget: pData with a zero',
    pt(() => f.priorZero),
    'NOT_A_DISTRIBUTION',
    'pData',
  );
  row(
    'progressiveTarget: negative pData',
    pt(() => f.priorNegative),
    'NOT_A_DISTRIBUTION',
    'pData',
  );
  row(
    'progressiveTarget: alphaMin 2',
    pt(() => f.prior, { alphaMin: 2 }),
    'INVALID_OPTION',
    'alphaMin',
  );
  row(
    'progressiveTarget: epoch −1',
    pt(() => f.prior, { epoch: -1 }),
    'INVALID_OPTION',
    'epoch',
  );
  row(
    'effectiveNumberWeights: negative counts',
    () => effectiveNumberWeights([3, -1, 2]),
    'INVALID_VALUE',
    'counts',
  );
  row(
    'effectiveNumberWeights: NaN counts',
    () => effectiveNumberWeights(f.priorNaN),
    'NON_FINITE',
    'counts',
  );
  row(
    'effectiveNumberWeights: all-zero counts',
    () => effectiveNumberWeights([0, 0, 0]),
    'INVALID_VALUE',
    'counts',
  );
  row(
    'effectiveNumberWeights: beta 1',
    () => effectiveNumberWeights([1, 2], { beta: 1 }),
    'INVALID_OPTION',
    'beta',
  );
  row(
    'positiveNegativeRatio: label 2',
    () => positiveNegativeRatio(f.multiTwo),
    'INVALID_VALUE',
    'labels',
  );
  row(
    'positiveNegativeRatio: NaN label',
    () => positiveNegativeRatio(f.multiNaN),
    'INVALID_VALUE',
    'labels',
  );
  row(
    'positiveNegativeRatio: rank-1 labels',
    () => positiveNegativeRatio(f.rank1),
    'SHAPE_MISMATCH',
    'labels',
  );
}

// ---------------------------------------------------------------- datasets
{
  const images = (v: number) => tf.fill([2, 8, 8, 1], v) as tf.Tensor4D;
  row(
    'strongAugment: pixels of 255',
    () => tf.tidy(() => strongAugment(images(255), { rng: createRng(1) })),
    'INVALID_VALUE',
    'x',
  );
  row(
    'strongAugment: NaN pixels',
    () => tf.tidy(() => strongAugment(images(Number.NaN), { rng: createRng(1) })),
    'NON_FINITE',
    'x',
  );
  row(
    'strongAugment: rank-3 images',
    () => strongAugment(f.rank3, { rng: createRng(1) }),
    'SHAPE_MISMATCH',
    'x',
  );
  row(
    'strongAugment: magnitude 2',
    () => tf.tidy(() => strongAugment(images(0.5), { rng: createRng(1), magnitude: 2 })),
    'INVALID_OPTION',
    'magnitude',
  );
  row(
    'strongAugment: unknown op',
    () => tf.tidy(() => strongAugment(images(0.5), { rng: createRng(1), ops: ['blur'] as never })),
    'INVALID_OPTION',
    'ops',
  );
  row(
    'strongAugment: no rng',
    () => tf.tidy(() => strongAugment(images(0.5), {} as never)),
    'INVALID_OPTION',
    'rng',
  );
  row(
    'weakAugment: rank-3 images',
    () => weakAugment(f.rank3, { rng: createRng(1) }),
    'SHAPE_MISMATCH',
    'x',
  );
  row(
    'mixup: no rng',
    () =>
      tf.tidy(
        () =>
          mixup(
            images(0.5),
            [
              [1, 0],
              [0, 1],
            ],
            {} as never,
          ) as unknown as tf.TensorContainer,
      ),
    'INVALID_OPTION',
    'rng',
  );
  const digits = {
    name: 'digits',
    size: 2,
    inputShape: [28, 28, 1],
    features: new Uint8Array(2 * 784),
    numClasses: 2,
    labels: Int32Array.from([0, 1]),
  };
  row(
    'superimpose: canvas 20 < 28',
    () => superimpose(digits, { rng: createRng(1), size: 2, canvas: 20 }),
    'INVALID_OPTION',
    'canvas',
  );
  row(
    'superimpose: canvas 27 < 28',
    () => superimpose(digits, { rng: createRng(1), size: 2, canvas: 27 }),
    'INVALID_OPTION',
    'canvas',
  );
  row(
    'superimpose: count 0',
    () => superimpose(digits, { rng: createRng(1), size: 2, count: 0 }),
    'INVALID_OPTION',
    'count',
  );
  row('longTailCounts: gamma 0', () => longTailCounts(100, 10, 0), 'INVALID_OPTION', 'gamma');
  row(
    'readIdx: bad magic',
    () => readIdx(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])),
    'INVALID_FORMAT',
    'data',
  );
  row('readIdx: not bytes', () => readIdx('idx' as never), 'INVALID_VALUE', 'data');
}

let rowCount = 0;
describe('bad-input table', () => {
  beforeAll(() => {
    setValidation('values');
    f = makeFixtures();
    rowCount = rows.length;
  });
  afterAll(() => disposeFixtures(f));

  it('has at least 300 named rows', () => {
    expect(rowCount).toBeGreaterThanOrEqual(300);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, r) => {
    await expectRow(r);
  });
});

export const badInputRowCount = () => rows.length;
void B;
