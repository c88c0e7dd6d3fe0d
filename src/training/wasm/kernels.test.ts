// The wasm training kernels against TF.js's `cpu` backend on random inputs
// over the convolution shapes DenseNet uses, plus the build and the
// assumptions about the wasm backend's internals.
//
// Tolerance: float32 sums in a different order differ by a few ulps per
// term, so a gradient entry that sums T products may move by about
// 1e-6 · sqrt(T) relative to the entry's scale. Each check allows
// max |wasm - cpu| <= 1e-5 · sqrt(T) · (1 + max |cpu|).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendMemory, memoryOffsetOf, type WasmBackendInternals } from './backend-internals';
import { MAX_COLS_FLOATS, setMaxColsFloats } from './conv2d-backprop-filter';
import { type ConvolutionRoute, setConvolutionRoute } from './direct-conv';
import { instantiateKernels, type KernelExports } from './module';
import { registerWasmTrainingKernels } from './register';

function randomArray(size: number, seed: number): Float32Array {
  // Mulberry32, mapped to [-1, 1).
  let state = seed >>> 0;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    values[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return values;
}

async function onBackend(backend: 'cpu' | 'wasm', compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const result = tf.tidy(compute);
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

function maxAbs(values: Float32Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}

function expectClose(actual: Float32Array, expected: Float32Array, terms: number): void {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  for (let i = 0; i < actual.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
  }
  const tolerance = 1e-5 * Math.sqrt(terms) * (1 + maxAbs(expected));
  expect(maxDiff).toBeLessThanOrEqual(tolerance);
}

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];
}

// DenseNet's convolutions: 3x3 and 1x1, stride 1, same padding, odd channel
// counts, batch > 1; plus the strided 7x7 stem of the ImageNet layout and a
// valid-padded case for the general path.
const cases: ConvCase[] = [
  {
    name: '3x3 same, 3 -> 5 channels',
    x: [2, 8, 8, 3],
    filter: [3, 3, 3, 5],
    stride: 1,
    pad: 'same',
  },
  {
    name: '3x3 same, 13 -> 7 channels',
    x: [3, 9, 7, 13],
    filter: [3, 3, 13, 7],
    stride: 1,
    pad: 'same',
  },
  {
    name: '3x3 same, 36 -> 12 channels',
    x: [4, 16, 16, 36],
    filter: [3, 3, 36, 12],
    stride: 1,
    pad: 'same',
  },
  {
    name: '1x1, 17 -> 9 channels',
    x: [3, 8, 8, 17],
    filter: [1, 1, 17, 9],
    stride: 1,
    pad: 'same',
  },
  {
    name: '1x1, 48 -> 20 channels',
    x: [2, 16, 16, 48],
    filter: [1, 1, 48, 20],
    stride: 1,
    pad: 'same',
  },
  {
    // 4 * 16 * 16 = 1024 grid positions: the padded row stride gets 16 extra zero columns.
    name: '1x1 valid, 4 images of 16x16',
    x: [4, 16, 16, 9],
    filter: [1, 1, 9, 6],
    stride: 1,
    pad: 'valid',
  },
  {
    // 4 * 16 * 16 grid positions again, with padding around each image.
    name: '3x3 same, 4 images of 14x14',
    x: [4, 14, 14, 5],
    filter: [3, 3, 5, 4],
    stride: 1,
    pad: 'same',
  },
  {
    name: '3x3 valid, 5 -> 3 channels',
    x: [2, 7, 6, 5],
    filter: [3, 3, 5, 3],
    stride: 1,
    pad: 'valid',
  },
  {
    // Unequal padding: two rows above, none below; none left, one right.
    name: '3x3 explicit padding, 6 -> 13 channels',
    x: [3, 7, 8, 6],
    filter: [3, 3, 6, 13],
    stride: 1,
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: '7x7 stride 2 same, 3 -> 8',
    x: [2, 15, 15, 3],
    filter: [7, 7, 3, 8],
    stride: 2,
    pad: 'same',
  },
];

function outputShape(c: ConvCase): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.stride, 1, c.pad);
  return info.outShape as [number, number, number, number];
}

function backpropFilter(c: ConvCase, x: Float32Array, dy: Float32Array): tf.Tensor {
  return tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x: tf.tensor4d(x, c.x), dy: tf.tensor4d(dy, outputShape(c)) },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
    ) as tf.Tensor;
}

function backpropInput(c: ConvCase, dy: Float32Array, filter: Float32Array): tf.Tensor {
  return tf
    .engine()
    .runKernel(
      'Conv2DBackpropInput',
      { dy: tf.tensor4d(dy, outputShape(c)), filter: tf.tensor4d(filter, c.filter) },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
    ) as tf.Tensor;
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('kernels.generated.ts', () => {
  it('matches kernels.wat', () => {
    const script = fileURLToPath(new URL('./build.mjs', import.meta.url));
    // Exits with status 1 (and execFileSync throws) when the output is stale.
    expect(() => execFileSync(process.execPath, [script, '--check'])).not.toThrow();
  });

  it.each(['plain', 'shared'] as const)(
    '%s variant writes nothing when instantiated',
    (variant) => {
      const memory = new WebAssembly.Memory(
        variant === 'shared' ? { initial: 2, maximum: 16, shared: true } : { initial: 2 },
      );
      const bytes = new Uint8Array(memory.buffer);
      bytes.fill(0xa5);
      instantiateKernels(memory);
      expect(bytes.every((byte) => byte === 0xa5)).toBe(true);
    },
  );
});

describe('kernel exports', () => {
  function standalone(): { kernels: KernelExports; floats: Float32Array } {
    const memory = new WebAssembly.Memory({ initial: 4 });
    return { kernels: instantiateKernels(memory), floats: new Float32Array(memory.buffer) };
  }

  it('transpose handles edges that do not fill a 4x4 tile', () => {
    const { kernels, floats } = standalone();
    const rows = 7;
    const cols = 6;
    const srcStride = 9;
    const dstStride = 11;
    const src = 0;
    const dst = 4096;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) floats[src / 4 + r * srcStride + c] = r * 100 + c;
    }
    kernels.transpose(src, dst, rows, cols, srcStride, dstStride);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        expect(floats[dst / 4 + c * dstStride + r]).toBe(r * 100 + c);
      }
    }
    // Gaps between destination rows stay untouched.
    expect(floats[dst / 4 + rows]).toBe(0);
  });

  it('flip_filter rotates taps and swaps channel axes', () => {
    const { kernels, floats } = standalone();
    const [kh, kw, inC, outC] = [3, 2, 5, 3];
    const size = kh * kw * inC * outC;
    const values = randomArray(size, 7);
    floats.set(values, 0);
    const dst = size * 4;
    kernels.flip_filter(0, dst, kh, kw, inC, outC);
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        for (let o = 0; o < outC; o++) {
          for (let c = 0; c < inC; c++) {
            const flipped = floats[size + ((ky * kw + kx) * outC + o) * inC + c];
            const source = values[(((kh - 1 - ky) * kw + (kw - 1 - kx)) * inC + c) * outC + o];
            expect(flipped).toBe(source);
          }
        }
      }
    }
  });
});

describe('wasm backend internals', () => {
  it('exposes the heap and tensor offsets the kernels rely on', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as WasmBackendInternals;
    const memory = backendMemory(backend);
    const values = randomArray(10, 3);
    const tensor = tf.tensor1d(values);
    const offset = memoryOffsetOf(backend, tensor);
    expect(new Float32Array(memory.buffer, offset, 10)).toEqual(values);
    const before = backend.numDataIds();
    const output = backend.makeOutput([4], 'float32');
    expect(backend.dataIdMap.get(output.dataId)?.shape).toEqual([4]);
    backend.disposeData(output.dataId);
    expect(backend.numDataIds()).toBe(before);
    tensor.dispose();
  });
});

// 'direct' runs the relaxed SIMD build here (vitest.config.ts passes Node
// the flag), 'xnnpack' the backend's own convolution and matrix multiply.
const ROUTES: ConvolutionRoute[] = ['direct', 'xnnpack'];

function onRoute(route: ConvolutionRoute): void {
  beforeAll(() => setConvolutionRoute(route));
  afterAll(() => setConvolutionRoute('auto'));
}

function convolve(c: ConvCase, x: Float32Array, filter: Float32Array, fused: boolean): tf.Tensor {
  const xTensor = tf.tensor4d(x, c.x);
  const filterTensor = tf.tensor4d(filter, c.filter);
  if (fused) {
    return tf.fused.conv2d({ x: xTensor, filter: filterTensor, strides: c.stride, pad: c.pad });
  }
  return tf.conv2d(xTensor, filterTensor, c.stride, c.pad);
}

describe.each(ROUTES)('Conv2D and FusedConv2D on wasm, route %s', (route) => {
  onRoute(route);
  it.each(cases)('matches cpu: $name', async (c) => {
    const x = randomArray(
      c.x.reduce((a, b) => a * b),
      8,
    );
    const filter = randomArray(
      c.filter.reduce((a, b) => a * b),
      9,
    );
    const expected = await onBackend('cpu', () => convolve(c, x, filter, false));
    const terms = c.filter[0] * c.filter[1] * c.filter[2];
    expectClose(await onBackend('wasm', () => convolve(c, x, filter, false)), expected, terms);
    expectClose(await onBackend('wasm', () => convolve(c, x, filter, true)), expected, terms);
  });

  it('frees its buffers', async () => {
    await tf.setBackend('wasm');
    // 13 -> 7 channels: the filter is copied to a stride of twelve outputs first.
    const c = cases[1]!;
    const x = tf.tensor4d(
      randomArray(
        c.x.reduce((a, b) => a * b),
        10,
      ),
      c.x,
    );
    const filter = tf.tensor4d(
      randomArray(
        c.filter.reduce((a, b) => a * b),
        11,
      ),
      c.filter,
    );
    const before = tf.backend().numDataIds();
    const y = tf.conv2d(x, filter, 1, 'same');
    expect(y.shape).toEqual([3, 9, 7, 7]);
    expect(tf.backend().numDataIds()).toBe(before + 1);
    tf.dispose([x, filter, y]);
  });
});

describe.each(ROUTES)('Conv2DBackpropFilter on wasm, route %s', (route) => {
  onRoute(route);
  it.each(cases)('matches cpu: $name', async (c) => {
    const x = randomArray(
      c.x.reduce((a, b) => a * b),
      1,
    );
    const out = outputShape(c);
    const dy = randomArray(
      out.reduce((a, b) => a * b),
      2,
    );
    const expected = await onBackend('cpu', () => backpropFilter(c, x, dy));
    const actual = await onBackend('wasm', () => backpropFilter(c, x, dy));
    expectClose(actual, expected, out[0] * out[1] * out[2]);
  });

  it.each([1, 2])('matches cpu with %i tap(s) per chunk', async (tapsPerChunk) => {
    // Stride 2 takes the im2col path, whose buffer is split into chunks of taps.
    const c: ConvCase = {
      name: 'chunked',
      x: [3, 9, 9, 11],
      filter: [3, 3, 11, 5],
      stride: 2,
      pad: 'same',
    };
    const out = outputShape(c);
    const pixels = out[0] * out[1] * out[2];
    const x = randomArray(
      c.x.reduce((a, b) => a * b),
      11,
    );
    const dy = randomArray(pixels * 5, 12);
    const expected = await onBackend('cpu', () => backpropFilter(c, x, dy));
    setMaxColsFloats(tapsPerChunk * 11 * pixels);
    try {
      const actual = await onBackend('wasm', () => backpropFilter(c, x, dy));
      expectClose(actual, expected, pixels);
    } finally {
      setMaxColsFloats(MAX_COLS_FLOATS);
    }
  });

  it('frees every intermediate', async () => {
    await tf.setBackend('wasm');
    const c = cases[2]!;
    const x = tf.tensor4d(
      randomArray(
        c.x.reduce((a, b) => a * b),
        4,
      ),
      c.x,
    );
    const dy = tf.tensor4d(
      randomArray(
        outputShape(c).reduce((a, b) => a * b),
        5,
      ),
      outputShape(c),
    );
    const before = tf.backend().numDataIds();
    const grad = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: c.filter },
      ) as tf.Tensor;
    expect(grad.shape).toEqual(c.filter);
    expect(tf.backend().numDataIds()).toBe(before + 1);
    tf.dispose([x, dy, grad]);
  });
});

describe.each(ROUTES)('Conv2DBackpropInput on wasm, route %s', (route) => {
  onRoute(route);
  it.each(cases)('matches cpu: $name', async (c) => {
    const out = outputShape(c);
    const dy = randomArray(
      out.reduce((a, b) => a * b),
      3,
    );
    const filter = randomArray(
      c.filter.reduce((a, b) => a * b),
      4,
    );
    const expected = await onBackend('cpu', () => backpropInput(c, dy, filter));
    const actual = await onBackend('wasm', () => backpropInput(c, dy, filter));
    expectClose(actual, expected, c.filter[0] * c.filter[1] * c.filter[3]);
  });

  it('frees the flipped filter', async () => {
    await tf.setBackend('wasm');
    const c = cases[1]!;
    const dy = tf.tensor4d(
      randomArray(
        outputShape(c).reduce((a, b) => a * b),
        6,
      ),
      outputShape(c),
    );
    const filter = tf.tensor4d(
      randomArray(
        c.filter.reduce((a, b) => a * b),
        7,
      ),
      c.filter,
    );
    const before = tf.backend().numDataIds();
    const dx = tf
      .engine()
      .runKernel(
        'Conv2DBackpropInput',
        { dy, filter },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: c.x },
      ) as tf.Tensor;
    expect(dx.shape).toEqual(c.x);
    expect(tf.backend().numDataIds()).toBe(before + 1);
    tf.dispose([dy, filter, dx]);
  });
});

describe('Tile on wasm', () => {
  const tileCases: { shape: number[]; reps: number[]; dtype: 'float32' | 'int32' }[] = [
    { shape: [1, 1, 1, 13], reps: [3, 5, 4, 1], dtype: 'float32' },
    { shape: [2, 3, 4, 1], reps: [1, 1, 1, 7], dtype: 'float32' },
    { shape: [2, 3], reps: [3, 2], dtype: 'float32' },
    { shape: [5], reps: [4], dtype: 'int32' },
    { shape: [2, 1, 3, 2, 1], reps: [2, 3, 1, 2, 5], dtype: 'float32' },
    { shape: [3, 2], reps: [0, 2], dtype: 'float32' },
  ];

  it.each(tileCases)('matches cpu: $shape x $reps ($dtype)', async ({ shape, reps, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = randomArray(size, 21).map((v) => (dtype === 'int32' ? Math.round(v * 100) : v));
    const compute = () => tf.tile(tf.tensor(values, shape, dtype), reps);
    await tf.setBackend('cpu');
    const expected = tf.tidy(compute);
    const expectedValues = await expected.data();
    const expectedShape = expected.shape;
    expected.dispose();
    await tf.setBackend('wasm');
    const actual = tf.tidy(compute);
    expect(actual.shape).toEqual(expectedShape);
    expect(Array.from(await actual.data())).toEqual(Array.from(expectedValues));
    actual.dispose();
  });
});

describe('Sum and Mean on wasm', () => {
  const reductionCases: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
    { shape: [4, 8, 8, 13], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 8, 8, 13], axis: [2, 0, 1], keepDims: true },
    { shape: [16, 10], axis: 0, keepDims: false },
    { shape: [3, 5, 7], axis: [-3, -2], keepDims: false },
    { shape: [3, 5, 7], axis: [0, 2], keepDims: true },
    { shape: [3, 5, 7], axis: -1, keepDims: false },
    { shape: [6, 7], axis: [0, 1], keepDims: false },
  ];

  it.each(reductionCases)('matches cpu: $shape over $axis', async ({ shape, axis, keepDims }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = randomArray(size, 31);
    for (const reduce of [tf.sum, tf.mean]) {
      const compute = () => reduce(tf.tensor(values, shape), axis, keepDims);
      await tf.setBackend('cpu');
      const expected = tf.tidy(compute);
      const expectedValues = (await expected.data()) as Float32Array;
      const expectedShape = expected.shape;
      expected.dispose();
      await tf.setBackend('wasm');
      const actual = tf.tidy(compute);
      expect(actual.shape).toEqual(expectedShape);
      expectClose((await actual.data()) as Float32Array, expectedValues, size);
      actual.dispose();
    }
  });
});

describe('Slice and SplitV on wasm', () => {
  const sliceCases: { shape: number[]; begin: number[]; size: number[] }[] = [
    // A channel range of an NHWC activation (the concatenation gradient).
    { shape: [3, 5, 4, 13], begin: [0, 0, 0, 6], size: [3, 5, 4, 7] },
    // A 32x32 crop out of a 4-pixel padded batch.
    { shape: [2, 40, 40, 3], begin: [0, 3, 5, 0], size: [2, 32, 32, 3] },
    { shape: [6, 7], begin: [2, 0], size: [3, 7] },
    { shape: [6, 7], begin: [1, 2], size: [4, 3] },
    { shape: [11], begin: [4], size: [5] },
    { shape: [2, 3, 4, 5, 6], begin: [1, 0, 1, 0, 2], size: [1, 3, 2, 5, 3] },
    { shape: [4, 4], begin: [0, 0], size: [4, 4] },
  ];

  it.each(sliceCases)(
    'Slice matches cpu: $shape from $begin size $size',
    async ({ shape, begin, size }) => {
      const values = randomArray(
        shape.reduce((a, b) => a * b, 1),
        41,
      );
      for (const dtype of ['float32', 'int32'] as const) {
        const compute = () =>
          tf.slice(
            tf.tensor(
              dtype === 'int32' ? values.map((v) => Math.round(v * 1000)) : values,
              shape,
              dtype,
            ),
            begin,
            size,
          );
        await tf.setBackend('cpu');
        const expected = tf.tidy(compute);
        const expectedValues = Array.from(await expected.data());
        expected.dispose();
        await tf.setBackend('wasm');
        const actual = tf.tidy(compute);
        expect(actual.shape).toEqual(size);
        expect(Array.from(await actual.data())).toEqual(expectedValues);
        actual.dispose();
      }
    },
  );

  it('SplitV matches cpu along channels', async () => {
    const shape = [2, 4, 3, 17];
    const values = randomArray(
      shape.reduce((a, b) => a * b, 1),
      43,
    );
    const compute = () => tf.split(tf.tensor(values, shape), [5, 4, 8], 3);
    await tf.setBackend('cpu');
    const expected = compute();
    const expectedValues = await Promise.all(expected.map((part) => part.data()));
    tf.dispose(expected);
    await tf.setBackend('wasm');
    const actual = compute();
    expect(actual.map((part) => part.shape)).toEqual([
      [2, 4, 3, 5],
      [2, 4, 3, 4],
      [2, 4, 3, 8],
    ]);
    for (let i = 0; i < actual.length; i++) {
      expect(Array.from(await actual[i]!.data())).toEqual(Array.from(expectedValues[i]!));
    }
    tf.dispose(actual);
  });
});

describe('Concat, Identity and Cast on wasm', () => {
  it.each([
    {
      shapes: [
        [2, 3, 4, 5],
        [2, 3, 4, 7],
      ],
      axis: 3,
    },
    {
      shapes: [
        [2, 3],
        [4, 3],
        [1, 3],
      ],
      axis: 0,
    },
    {
      shapes: [
        [3, 2, 5],
        [3, 0, 5],
        [3, 4, 5],
      ],
      axis: 1,
    },
    { shapes: [[7], [5]], axis: 0 },
  ])('Concat matches cpu: $shapes along $axis', async ({ shapes, axis }) => {
    const arrays = shapes.map((shape, i) =>
      randomArray(
        shape.reduce((a, b) => a * b, 1),
        50 + i,
      ),
    );
    const compute = () =>
      tf.concat(
        arrays.map((values, i) => tf.tensor(values, shapes[i])),
        axis,
      );
    await tf.setBackend('cpu');
    const expected = tf.tidy(compute);
    const expectedValues = Array.from(await expected.data());
    expected.dispose();
    await tf.setBackend('wasm');
    const actual = tf.tidy(compute);
    expect(Array.from(await actual.data())).toEqual(expectedValues);
    actual.dispose();
  });

  it('Identity and same-type Cast share the data', async () => {
    await tf.setBackend('wasm');
    const values = randomArray(37, 60);
    const x = tf.tensor(values, [37]);
    const buffersBefore = tf.memory().numDataBuffers;
    const shared = [
      tf.engine().runKernel('Identity', { x }, {}) as tf.Tensor,
      tf.cast(x, 'float32'),
    ];
    expect(tf.memory().numDataBuffers).toBe(buffersBefore);
    for (const tensor of shared) expect(tensor.dataId).toBe(x.dataId);
    // The shared data outlives the tensor it came from.
    x.dispose();
    for (const tensor of shared) expect(await tensor.data()).toEqual(values);
    const ints = tf.tensor1d([1, -2, 3], 'int32');
    expect(Array.from(await tf.cast(ints, 'float32').data())).toEqual([1, -2, 3]);
    tf.dispose([ints, ...shared]);
  });
});

describe('Sum and Mean gradients on wasm', () => {
  it.each([
    { shape: [3, 4, 4, 5], axis: [0, 1, 2] },
    { shape: [6, 7], axis: 1 },
  ])('match cpu: $shape over $axis', async ({ shape, axis }) => {
    const values = randomArray(
      shape.reduce((a, b) => a * b, 1),
      70,
    );
    const weights = randomArray(
      shape.reduce((a, b) => a * b, 1),
      71,
    );
    // A non-uniform upstream gradient: d/dx of sum(w * mean(x)) and sum(w * sum(x)).
    const compute = () =>
      tf.grad((x: tf.Tensor) =>
        tf.add(
          tf.sum(tf.mul(tf.mean(x, axis, true), tf.tensor(weights, shape))),
          tf.sum(tf.mul(tf.sum(x, axis, true), tf.tensor(weights, shape))),
        ),
      )(tf.tensor(values, shape));
    const expected = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expectClose(
      actual,
      expected,
      shape.reduce((a, b) => a * b, 1),
    );
  });
});

describe('FusedBatchNorm on wasm', () => {
  // Parameters of shape [C] as BN layers pass them, without the optional
  // ones, and of shape [1, 1, 1, C]. Odd channel counts leave a scalar tail.
  const bnCases: {
    name: string;
    shape: number[];
    withScale: boolean;
    withOffset: boolean;
    paramShape: (channels: number) => number[];
  }[] = [
    {
      name: '13 channels, all parameters',
      shape: [3, 5, 7, 13],
      withScale: true,
      withOffset: true,
      paramShape: (c) => [c],
    },
    {
      name: '4 channels, no scale or offset',
      shape: [2, 4, 4, 4],
      withScale: false,
      withOffset: false,
      paramShape: (c) => [c],
    },
    {
      name: '3 channels, [1, 1, 1, C] parameters',
      shape: [2, 3, 3, 3],
      withScale: true,
      withOffset: false,
      paramShape: (c) => [1, 1, 1, c],
    },
    {
      name: 'rank 2, 9 channels',
      shape: [6, 9],
      withScale: false,
      withOffset: true,
      paramShape: (c) => [c],
    },
  ];

  it.each(bnCases)('matches cpu: $name', async ({ shape, withScale, withOffset, paramShape }) => {
    const channels = shape.at(-1)!;
    const size = shape.reduce((a, b) => a * b, 1);
    const x = randomArray(size, 80).map((v) => v * 4 + 1);
    const mean = randomArray(channels, 81);
    const variance = randomArray(channels, 82).map((v) => v * v + 0.1);
    const scale = randomArray(channels, 83);
    const offset = randomArray(channels, 84);
    // Typed as rank 1 for tf.batchNorm's signature, whatever the shape.
    const param = (values: Float32Array) =>
      tf.tensor(values, paramShape(channels)) as tf.Tensor as tf.Tensor1D;
    const compute = () =>
      tf.batchNorm(
        tf.tensor(x, shape),
        param(mean),
        param(variance),
        withOffset ? param(offset) : undefined,
        withScale ? param(scale) : undefined,
        1e-5,
      );
    const expected = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expectClose(actual, expected, 4);
  });

  it('broadcasts a one-value mean over every channel', async () => {
    const shape = [2, 3, 3, 5];
    const x = randomArray(90, 85);
    const variance = randomArray(5, 86).map((v) => v * v + 0.5);
    const compute = () =>
      tf.batchNorm(
        tf.tensor(x, shape),
        tf.tensor1d([0.25]),
        tf.tensor1d(variance),
        undefined,
        undefined,
        1e-3,
      );
    expectClose(await onBackend('wasm', compute), await onBackend('cpu', compute), 4);
  });

  it('frees its folded parameters', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 4, 4, 6], 0, 1, 'float32', 3);
    const mean = tf.zeros([6]) as tf.Tensor1D;
    const variance = tf.ones([6]) as tf.Tensor1D;
    const before = tf.memory();
    const y = tf.batchNorm(x, mean, variance);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([x, mean, variance]);
  });
});

describe('AvgPoolGrad on wasm', () => {
  // The transitions' 2x2 pool with odd and SIMD-sized channel counts, then
  // pools the kernel hands back: odd sizes, 3x3 windows and same padding.
  const poolCases: {
    name: string;
    shape: [number, number, number, number];
    size: number;
    stride: number;
    pad: 'valid' | 'same';
  }[] = [
    { name: '2x2 stride 2, 13 channels', shape: [2, 8, 6, 13], size: 2, stride: 2, pad: 'valid' },
    { name: '2x2 stride 2, 8 channels', shape: [3, 4, 4, 8], size: 2, stride: 2, pad: 'valid' },
    { name: '2x2 stride 2, odd size', shape: [2, 5, 7, 3], size: 2, stride: 2, pad: 'valid' },
    { name: '3x3 stride 2, same', shape: [1, 6, 6, 5], size: 3, stride: 2, pad: 'same' },
  ];

  it.each(poolCases)('matches cpu: $name', async ({ shape, size, stride, pad }) => {
    const values = randomArray(
      shape.reduce((a, b) => a * b, 1),
      90,
    );
    const compute = () =>
      tf.grad((x: tf.Tensor) => {
        const pooled = tf.avgPool(x as tf.Tensor4D, size, stride, pad);
        // A non-uniform upstream gradient.
        return tf.sum(tf.mul(pooled, tf.range(0, pooled.size).reshape(pooled.shape)));
      })(tf.tensor4d(values, shape));
    const expected = await onBackend('cpu', compute);
    const actual = await onBackend('wasm', compute);
    expectClose(actual, expected, size * size);
  });
});
