import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { backendName, expectTailwiseError } from '../../../test/helpers';
import { registerTrainingKernels, unregisterTrainingKernels } from '../src';
import { transposeInfo, withIntermediates } from '../src/internal/kernel-calls';
import {
  type ConvCase,
  convShapes,
  filterGradientJs,
  type HostTensor,
  inputGradientJs,
  matMulJs,
  maxAbsDiff,
  type Padding,
  seededValues,
  stockCpu,
  withTrainingKernels,
} from './reference';

const TOLERANCE = 1e-4;
// The backend this vitest project runs on, read once: some tests switch backends temporarily.
const projectBackend = backendName() as 'cpu' | 'wasm';
const project = (): 'cpu' | 'wasm' => projectBackend;

afterEach(() => {
  unregisterTrainingKernels('cpu');
  unregisterTrainingKernels('wasm');
});

function host(shape: number[], seed: number): HostTensor {
  return {
    values: seededValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  };
}

/**
 * Strides 1–3 × 'valid'/'same' × kernel 1/3/5, with batch and channel sizes cycling through
 * small values so every combination of sizes meets several geometries. 9×8 inputs make
 * 'valid' with stride 2–3 leave trailing rows unread (the crop path) and 'same' pad unevenly.
 */
function gridCases(): ConvCase[] {
  const cases: ConvCase[] = [];
  let i = 0;
  for (const stride of [1, 2, 3])
    for (const pad of ['valid', 'same'] as const)
      for (const kernel of [1, 3, 5]) {
        cases.push({
          batch: 1 + (i % 3),
          height: 9,
          width: 8,
          inChannels: [1, 2, 3][(i + 1) % 3]!,
          outChannels: [1, 2, 4][i % 3]!,
          kernel,
          stride,
          pad,
        });
        i++;
      }
  return cases;
}

const explicitCases: ConvCase[] = [
  {
    batch: 2,
    height: 9,
    width: 8,
    inChannels: 2,
    outChannels: 3,
    kernel: 3,
    stride: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { batch: 1, height: 7, width: 7, inChannels: 3, outChannels: 2, kernel: 3, stride: 1, pad: 1 },
  // Padding wider than the filter: the input gradient has to crop the dilated gradient.
  {
    batch: 2,
    height: 6,
    width: 5,
    inChannels: 1,
    outChannels: 2,
    kernel: 3,
    stride: 1,
    pad: [
      [0, 0],
      [3, 0],
      [0, 4],
      [0, 0],
    ],
  },
];

const describeCase = (c: ConvCase) =>
  `k${c.kernel} s${c.stride} pad ${JSON.stringify(c.pad)} n${c.batch} c${c.inChannels}→${c.outChannels}`;

function filterAttrs(c: ConvCase) {
  return {
    strides: [c.stride, c.stride],
    pad: c.pad,
    dataFormat: 'NHWC',
    filterShape: convShapes(c).filter,
  };
}
function inputAttrs(c: ConvCase) {
  return {
    strides: [c.stride, c.stride],
    pad: c.pad,
    dataFormat: 'NHWC',
    inputShape: convShapes(c).x,
  };
}

describe('Conv2DBackpropFilter', () => {
  it.each([...gridCases(), ...explicitCases].map((c) => [describeCase(c), c] as const))(
    'matches the stock cpu kernel and the plain-JS sum: %s',
    async (_, c) => {
      const shapes = convShapes(c);
      const inputs = { x: host(shapes.x, 1), dy: host(shapes.dy, 2) };
      const stock = await stockCpu('Conv2DBackpropFilter', inputs, filterAttrs(c));
      const ours = await withTrainingKernels(
        project(),
        'Conv2DBackpropFilter',
        inputs,
        filterAttrs(c),
      );
      expect(ours.shape).toEqual(shapes.filter);
      expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
      expect(
        maxAbsDiff(ours.values, filterGradientJs(c, inputs.x.values, inputs.dy.values)),
      ).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('handles NCHW operands like the stock cpu kernel', async () => {
    // NCHW: C_in 3, 7×6 input; 'same' with stride 2 gives 4×3 outputs of C_out 4.
    const x = host([2, 3, 7, 6], 3);
    const dy = host([2, 4, 4, 3], 4);
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
    const stock = await stockCpu('Conv2DBackpropFilter', { x, dy }, attrs);
    const ours = await withTrainingKernels(project(), 'Conv2DBackpropFilter', { x, dy }, attrs);
    expect(ours.shape).toEqual([3, 3, 3, 4]);
    expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('agrees with the plain-JS sum on random geometries (property)', async () => {
    registerTrainingKernels(project());
    const geometry = fc.record({
      batch: fc.integer({ min: 1, max: 3 }),
      height: fc.integer({ min: 5, max: 10 }),
      width: fc.integer({ min: 5, max: 10 }),
      inChannels: fc.integer({ min: 1, max: 3 }),
      outChannels: fc.integer({ min: 1, max: 3 }),
      kernel: fc.constantFrom(1, 2, 3, 5),
      stride: fc.integer({ min: 1, max: 3 }),
      pad: fc.constantFrom<Padding>('valid', 'same'),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    await fc.assert(
      fc.asyncProperty(geometry, async ({ seed, ...c }) => {
        const shapes = convShapes(c);
        const x = seededValues(
          shapes.x.reduce((a, b) => a * b),
          seed,
        );
        const dy = seededValues(
          shapes.dy.reduce((a, b) => a * b),
          seed + 1,
        );
        const out = tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: tf.tensor(x, shapes.x), dy: tf.tensor(dy, shapes.dy) },
            filterAttrs(c) as unknown as tf.NamedAttrMap,
          ) as tf.Tensor;
        const values = await out.data();
        tf.dispose(out);
        expect(maxAbsDiff(values, filterGradientJs(c, x, dy))).toBeLessThanOrEqual(TOLERANCE);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe('Conv2DBackpropInput', () => {
  it.each([...gridCases(), ...explicitCases].map((c) => [describeCase(c), c] as const))(
    'matches the stock cpu kernel and the plain-JS sum: %s',
    async (_, c) => {
      const shapes = convShapes(c);
      const inputs = { dy: host(shapes.dy, 5), filter: host(shapes.filter, 6) };
      const stock = await stockCpu('Conv2DBackpropInput', inputs, inputAttrs(c));
      const ours = await withTrainingKernels(
        project(),
        'Conv2DBackpropInput',
        inputs,
        inputAttrs(c),
      );
      expect(ours.shape).toEqual(shapes.x);
      expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
      expect(
        maxAbsDiff(ours.values, inputGradientJs(c, inputs.dy.values, inputs.filter.values)),
      ).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('handles NCHW operands like the stock cpu kernel', async () => {
    const dy = host([2, 4, 3, 3], 7);
    const filter = host([3, 3, 3, 4], 8);
    const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NCHW', inputShape: [2, 3, 6, 5] };
    const stock = await stockCpu('Conv2DBackpropInput', { dy, filter }, attrs);
    const ours = await withTrainingKernels(project(), 'Conv2DBackpropInput', { dy, filter }, attrs);
    expect(ours.shape).toEqual([2, 3, 6, 5]);
    expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('depthwise gradients', () => {
  const cases = [
    { stride: 1, pad: 'same', kernel: 3, multiplier: 1, batch: 2, channels: 3 },
    { stride: 2, pad: 'valid', kernel: 3, multiplier: 2, batch: 1, channels: 2 },
    { stride: 2, pad: 'same', kernel: 5, multiplier: 1, batch: 3, channels: 1 },
    { stride: 3, pad: 'valid', kernel: 1, multiplier: 3, batch: 2, channels: 2 },
    { stride: 1, pad: 'valid', kernel: 5, multiplier: 2, batch: 1, channels: 3 },
  ] as const;

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))(
    'match the stock cpu kernels: %s',
    async (_, c) => {
      const conv: ConvCase = {
        batch: c.batch,
        height: 9,
        width: 8,
        inChannels: c.channels,
        outChannels: c.channels * c.multiplier,
        kernel: c.kernel,
        stride: c.stride,
        pad: c.pad,
      };
      const shapes = convShapes(conv);
      const filterShape = [c.kernel, c.kernel, c.channels, c.multiplier];
      const base = { strides: [c.stride, c.stride], pad: c.pad, dilations: [1, 1] };

      const fInputs = { x: host(shapes.x, 9), dy: host(shapes.dy, 10) };
      const fAttrs = { ...base, filterShape };
      const fStock = await stockCpu('DepthwiseConv2dNativeBackpropFilter', fInputs, fAttrs);
      const fOurs = await withTrainingKernels(
        project(),
        'DepthwiseConv2dNativeBackpropFilter',
        fInputs,
        fAttrs,
      );
      expect(fOurs.shape).toEqual(filterShape);
      expect(maxAbsDiff(fOurs.values, fStock.values)).toBeLessThanOrEqual(TOLERANCE);

      const iInputs = { dy: host(shapes.dy, 11), filter: host(filterShape, 12) };
      const iAttrs = { ...base, inputShape: shapes.x };
      const iStock = await stockCpu('DepthwiseConv2dNativeBackpropInput', iInputs, iAttrs);
      const iOurs = await withTrainingKernels(
        project(),
        'DepthwiseConv2dNativeBackpropInput',
        iInputs,
        iAttrs,
      );
      expect(iOurs.shape).toEqual(shapes.x);
      expect(maxAbsDiff(iOurs.values, iStock.values)).toBeLessThanOrEqual(TOLERANCE);
    },
  );
});

describe('BatchMatMul and _FusedMatMul', () => {
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  it.each(flags)(
    'BatchMatMul transposeA=%s transposeB=%s matches stock cpu and plain JS',
    async (ta, tb) => {
      const [batch, m, k, n] = [2, 5, 7, 3];
      const a = host(ta ? [batch, k, m] : [batch, m, k], 13);
      const b = host(tb ? [batch, n, k] : [batch, k, n], 14);
      const attrs = { transposeA: ta, transposeB: tb };
      const stock = await stockCpu('BatchMatMul', { a, b }, attrs);
      const ours = await withTrainingKernels(project(), 'BatchMatMul', { a, b }, attrs);
      expect(ours.shape).toEqual([batch, m, n]);
      expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
      expect(
        maxAbsDiff(ours.values, matMulJs(a.values, a.shape, b.values, b.shape, ta, tb)),
      ).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it.each(flags)(
    '_FusedMatMul (bias, relu) transposeA=%s transposeB=%s matches stock cpu',
    async (ta, tb) => {
      const [m, k, n] = [6, 4, 5];
      const a = host(ta ? [1, k, m] : [1, m, k], 15);
      const b = host(tb ? [1, n, k] : [1, k, n], 16);
      const bias = host([n], 17);
      const attrs = { transposeA: ta, transposeB: tb, activation: 'relu' };
      const stock = await stockCpu('_FusedMatMul', { a, b, bias }, attrs);
      const ours = await withTrainingKernels(project(), '_FusedMatMul', { a, b, bias }, attrs);
      expect(ours.shape).toEqual([1, m, n]);
      expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('broadcasts a rank-2 operand against a batch like the stock kernel', async () => {
    const a = host([3, 4, 5], 18);
    const b = host([2, 5], 19);
    const attrs = { transposeA: false, transposeB: true };
    const stock = await stockCpu('BatchMatMul', { a, b }, attrs);
    const ours = await withTrainingKernels(project(), 'BatchMatMul', { a, b }, attrs);
    expect(ours.shape).toEqual([3, 4, 2]);
    expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('MaxPoolGrad', () => {
  const cases = [
    { shape: [2, 6, 6, 3], filterSize: 2, stride: 2, pad: 'valid' },
    { shape: [1, 7, 6, 4], filterSize: 3, stride: 2, pad: 'same' },
    { shape: [2, 5, 5, 2], filterSize: 3, stride: 1, pad: 'valid' },
    { shape: [1, 8, 7, 5], filterSize: 3, stride: 3, pad: 'same' },
  ] as const;

  it.each(cases.map((c) => [JSON.stringify(c), c] as const))(
    'matches the stock cpu kernel, also for windows of values ≤ 0: %s',
    async (_, c) => {
      const shape = [...c.shape];
      // Shifted down so that many windows hold only negative values (the stock wasm bug).
      const x = host(shape, 30);
      x.values = x.values.map((v) => v - 0.3);
      const attrs = { filterSize: c.filterSize, strides: c.stride, pad: c.pad };
      const y = await stockCpu('MaxPool', { x }, attrs);
      const inputs = { dy: host(y.shape, 31), input: x, output: y };
      const stock = await stockCpu('MaxPoolGrad', inputs, attrs);
      const ours = await withTrainingKernels(project(), 'MaxPoolGrad', inputs, attrs);
      expect(ours.shape).toEqual(shape);
      expect(maxAbsDiff(ours.values, stock.values)).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it('sends each gradient to the first maximum of its window (ties, all-negative and all-zero windows)', async () => {
    // One 2×2 window per channel, row-major positions 0..3; channels: all negative with the
    // maximum last, all zero (tie: first wins), a tie of positives at positions 1 and 2.
    const windows = [
      [-4, -3, -2, -1],
      [0, 0, 0, 0],
      [0.1, 0.7, 0.7, 0.2],
    ];
    const values = new Float32Array(12);
    windows.forEach((w, c) => {
      w.forEach((v, pos) => {
        values[pos * 3 + c] = v;
      });
    });
    const input = { values, shape: [1, 2, 2, 3] };
    const dy = { values: new Float32Array([10, 20, 30]), shape: [1, 1, 1, 3] };
    const output = { values: new Float32Array([-1, 0, 0.7]), shape: [1, 1, 1, 3] };
    const ours = await withTrainingKernels(
      project(),
      'MaxPoolGrad',
      { dy, input, output },
      {
        filterSize: 2,
        strides: 2,
        pad: 'valid',
      },
    );
    // dx[position, channel]: channel 0 → position 3, channel 1 → position 0, channel 2 → position 1.
    const expected = new Float32Array(12);
    expected[3 * 3 + 0] = 10;
    expected[0 * 3 + 1] = 20;
    expected[1 * 3 + 2] = 30;
    expect(Array.from(ours.values)).toEqual(Array.from(expected));
  });
});

describe('memory', () => {
  /** Asserts that one kernel call adds exactly its output, and nothing once that is disposed. */
  function expectKernelLeakFree(
    kernelName: string,
    inputs: Record<string, tf.Tensor>,
    attrs: object,
  ): void {
    const backend = tf.backend();
    const before = { ...tf.memory(), dataIds: backend.numDataIds() };
    const out = tf.engine().runKernel(kernelName, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before.numTensors + 1);
    expect(tf.memory().numBytes).toBe(before.numBytes + out.size * 4);
    expect(backend.numDataIds()).toBe(before.dataIds + 1);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(backend.numDataIds()).toBe(before.dataIds);
  }

  it('kernels release every intermediate buffer (tensors, bytes and backend data ids)', () => {
    registerTrainingKernels(project());
    // 8×8 input, 3×3 filter, stride 2: 'same' gives 4×4 outputs, 'valid' 3×3.
    const x = tf.tensor(seededValues(2 * 8 * 8 * 3, 20), [2, 8, 8, 3]);
    const filter = tf.tensor(seededValues(3 * 3 * 3 * 4, 21), [3, 3, 3, 4]);
    const dy = tf.tensor(seededValues(2 * 4 * 4 * 4, 22), [2, 4, 4, 4]);
    const dyValid = tf.tensor(seededValues(2 * 3 * 3 * 4, 29), [2, 3, 3, 4]);
    const dwFilter = tf.tensor(seededValues(3 * 3 * 3 * 2, 23), [3, 3, 3, 2]);
    const dwDy = tf.tensor(seededValues(2 * 4 * 4 * 6, 24), [2, 4, 4, 6]);
    const a = tf.tensor(seededValues(2 * 5 * 3, 25), [2, 5, 3]);
    const b = tf.tensor(seededValues(2 * 4 * 5, 26), [2, 4, 5]);
    const conv = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC' };
    expectKernelLeakFree('Conv2DBackpropFilter', { x, dy }, { ...conv, filterShape: [3, 3, 3, 4] });
    expectKernelLeakFree(
      'Conv2DBackpropInput',
      { dy, filter },
      { ...conv, inputShape: [2, 8, 8, 3] },
    );
    // 'valid' with stride 2 on 8×8 leaves the last row and column unread: the crop path.
    const valid = { strides: [2, 2], pad: 'valid', dataFormat: 'NHWC' };
    expectKernelLeakFree(
      'Conv2DBackpropFilter',
      { x, dy: dyValid },
      { ...valid, filterShape: [3, 3, 3, 4] },
    );
    expectKernelLeakFree(
      'Conv2DBackpropInput',
      { dy: dyValid, filter },
      { ...valid, inputShape: [2, 8, 8, 3] },
    );
    const depthwise = { strides: [2, 2], pad: 'same', dilations: [1, 1] };
    expectKernelLeakFree(
      'DepthwiseConv2dNativeBackpropFilter',
      { x, dy: dwDy },
      { ...depthwise, filterShape: [3, 3, 3, 2] },
    );
    expectKernelLeakFree(
      'DepthwiseConv2dNativeBackpropInput',
      { dy: dwDy, filter: dwFilter },
      { ...depthwise, inputShape: [2, 8, 8, 3] },
    );
    expectKernelLeakFree('BatchMatMul', { a, b }, { transposeA: true, transposeB: true });
    expectKernelLeakFree(
      '_FusedMatMul',
      { a, b },
      { transposeA: true, transposeB: true, activation: 'linear' },
    );
    const pooled = tf.maxPool(x as tf.Tensor4D, 3, 2, 'same');
    expectKernelLeakFree(
      'MaxPoolGrad',
      { dy: pooled, input: x, output: pooled },
      { filterSize: 3, strides: 2, pad: 'same' },
    );
    pooled.dispose();
    tf.dispose([x, filter, dy, dyValid, dwFilter, dwDy, a, b]);
  });

  it('releases tracked intermediates when a kernel body throws', () => {
    const backend = tf.backend();
    const ctx = { backend, backendName: project() };
    const x = tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const before = { numTensors: tf.memory().numTensors, dataIds: backend.numDataIds() };
    expect(() =>
      withIntermediates(ctx, (temps) => {
        temps.track(transposeInfo(ctx, x, [1, 0]));
        expect(backend.numDataIds()).toBe(before.dataIds + 1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(backend.numDataIds()).toBe(before.dataIds);
    x.dispose();
  });

  // Only wasm gets the depthwise kernels; cpu keeps its stock ones, which accept dilations.
  it.runIf(project() === 'wasm')(
    'refuses dilated depthwise gradients (tfjs never requests them) without leaking',
    () => {
      registerTrainingKernels('wasm');
      const x = tf.tensor(seededValues(1 * 5 * 5 * 2, 27), [1, 5, 5, 2]);
      const dy = tf.tensor(seededValues(1 * 1 * 1 * 4, 28), [1, 1, 1, 4]);
      const before = { numTensors: tf.memory().numTensors, dataIds: tf.backend().numDataIds() };
      const attrs = { strides: 1, pad: 'valid', dilations: [2, 2], filterShape: [3, 3, 2, 2] };
      expect(() =>
        tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropFilter',
            { x, dy },
            attrs as unknown as tf.NamedAttrMap,
          ),
      ).toThrow(/dilations other than 1 are not supported, got \[2, 2\]/);
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(tf.backend().numDataIds()).toBe(before.dataIds);
      tf.dispose([x, dy]);
    },
  );
});

describe('registry', () => {
  it('registers the kernels each backend lacks or runs slowly, idempotently', () => {
    const expected =
      project() === 'wasm'
        ? [
            'Conv2DBackpropFilter',
            'Conv2DBackpropInput',
            'DepthwiseConv2dNativeBackpropFilter',
            'DepthwiseConv2dNativeBackpropInput',
            'BatchMatMul',
            '_FusedMatMul',
            'MaxPoolGrad',
          ]
        : ['Conv2DBackpropFilter'];
    const stock = expected.map((name) => tf.getKernel(name, project()));
    expect(registerTrainingKernels(project())).toEqual(expected);
    const first = expected.map((name) => tf.getKernel(name, project()));
    expect(first.every((config, i) => config !== stock[i])).toBe(true);
    // A second call keeps the same configs (no double wrapping).
    expect(registerTrainingKernels(project())).toEqual(expected);
    expect(expected.every((name, i) => tf.getKernel(name, project()) === first[i])).toBe(true);
    // Unregistering restores exactly the stock configs (undefined where wasm had none).
    expect(unregisterTrainingKernels(project())).toEqual(expected);
    expect(expected.every((name, i) => tf.getKernel(name, project()) === stock[i])).toBe(true);
    expect(unregisterTrainingKernels(project())).toEqual([]);
  });

  it("refuses a backend whose package's kernels are not registered yet", () => {
    // Simulate "package not imported" by removing the Conv2D kernel the check looks for.
    const stockFilter = tf.getKernel('Conv2DBackpropFilter', 'cpu');
    const conv = tf.getKernel('Conv2D', 'cpu')!;
    tf.unregisterKernel('Conv2D', 'cpu');
    try {
      expectTailwiseError(
        () => registerTrainingKernels('cpu'),
        'BACKEND_UNAVAILABLE',
        /^registerTrainingKernels: expected `backendName` to name a backend whose kernels are registered, got 'cpu' with none\. Import '@tensorflow\/tfjs-backend-cpu' first/,
      );
    } finally {
      tf.registerKernel(conv);
    }
    // Nothing was registered on the way.
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBe(stockFilter);
  });

  it("needs no kernels for 'tensorflow' (tfjs-node's are native)", () => {
    expect(registerTrainingKernels('tensorflow')).toEqual([]);
    expect(unregisterTrainingKernels('tensorflow')).toEqual([]);
  });

  it('refuses unknown backend names', () => {
    expectTailwiseError(
      () => registerTrainingKernels('opengl' as never),
      'INVALID_OPTION',
      /^registerTrainingKernels: expected `backendName` to be one of 'webgl', 'webgpu', 'wasm', 'cpu', 'tensorflow', got "opengl"$/,
    );
    // The GPU backends have every training kernel natively: nothing to register or restore.
    expect(registerTrainingKernels('webgl')).toEqual([]);
    expect(unregisterTrainingKernels('webgpu')).toEqual([]);
    expectTailwiseError(() => unregisterTrainingKernels(3 as never), 'INVALID_OPTION', /got 3$/);
  });
});
