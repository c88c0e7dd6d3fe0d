// One instance of kernels.wat per wasm backend, importing that backend's
// memory so that the kernels read and write tensors in place.

import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { backendMemory, type WasmBackendInternals } from './backend-internals';
import {
  plainKernelsBase64,
  plainRelaxedKernelsBase64,
  sharedKernelsBase64,
  sharedRelaxedKernelsBase64,
} from './kernels.generated';

/** The functions kernels.wat exports. Pointers are byte offsets into the backend's heap. */
export interface KernelExports {
  /** Transposed im2col of an NHWC input for filter taps [tapFirst, tapFirst + tapCount). */
  im2col_t(
    x: number,
    colsT: number,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    outHeight: number,
    outWidth: number,
    filterWidth: number,
    strideHeight: number,
    strideWidth: number,
    padTop: number,
    padLeft: number,
    tapFirst: number,
    tapCount: number,
  ): void;
  /** dst[c * dstStride + r] = src[r * srcStride + c] for a rows x cols matrix. */
  transpose(
    src: number,
    dst: number,
    rows: number,
    cols: number,
    srcStride: number,
    dstStride: number,
  ): void;
  copy(dst: number, src: number, count: number): void;
  zero(dst: number, count: number): void;
  /** Channel-major, zero-padded transpose of an NHWC input (interior only; zero x_t first). */
  pad_transpose(
    x: number,
    xT: number,
    batch: number,
    inHeight: number,
    inWidth: number,
    channels: number,
    paddedHeight: number,
    paddedWidth: number,
    padTop: number,
    padLeft: number,
    rowStride: number,
  ): void;
  /** Writes each of `rows` rows of rowLen 4-byte values `reps` times in a row. */
  tile_rows(src: number, dst: number, rows: number, rowLen: number, reps: number): void;
  /** Expands `blocks` blocks of blockLen 4-byte values in place so that each repeats `reps` times. */
  repeat_blocks(buf: number, blocks: number, blockLen: number, reps: number): void;
  /** Copies `rows` rows of rowLen 4-byte values between row strides (in values). */
  copy_rows(
    src: number,
    dst: number,
    rows: number,
    rowLen: number,
    srcStride: number,
    dstStride: number,
  ): void;
  /** dx[n][2y + a][2x + b][c] = dy[n][y][x][c] / 4, with rows = batch · outHeight. */
  avg_pool_grad_2x2(dy: number, dx: number, rows: number, outWidth: number, channels: number): void;
  /** out[r · cols + c] = x[r · cols + c] · scale[c] + shift[c]. */
  scale_shift(
    x: number,
    out: number,
    rows: number,
    cols: number,
    scale: number,
    shift: number,
  ): void;
  /** dst[c] = scale · Σ_r src[r · cols + c]. */
  column_sum(src: number, dst: number, rows: number, cols: number, scale: number): void;
  /**
   * Direct filter gradient of a 3x3 stride-1 convolution on channel-major
   * grids (conv2d-backprop-filter.ts): adds, per channel, filter row and
   * group of three output channels, nine v128 partial sums into acc.
   */
  filter_grad_3x3(
    xT: number,
    dyT: number,
    acc: number,
    channels: number,
    groupsOfThree: number,
    positionGroups: number,
    xRowBytes: number,
    dyRowBytes: number,
    rowPitchBytes: number,
  ): void;
  /**
   * Direct convolution of `count` grid positions (a multiple of 3) for
   * twelve output channels (direct-conv.ts); accumulate 1 adds to out.
   */
  conv_positions(
    x: number,
    w: number,
    out: number,
    count: number,
    inChannels: number,
    xStride: number,
    wStride: number,
    wTapStride: number,
    outStride: number,
    shifts: number,
    taps: number,
    accumulate: number,
  ): void;
  /** conv_positions over grid positions [first, last), in calls of `chunk` positions. */
  conv_span(
    x: number,
    w: number,
    out: number,
    first: number,
    last: number,
    chunk: number,
    inChannels: number,
    outStride: number,
    shifts: number,
    taps: number,
  ): void;
  /** a · b + c through the build's multiply-add, to tell whether it is fused. */
  multiply_add_probe(a: number, b: number, c: number): number;
  /** dst[ky][kx][o][c] = src[kh-1-ky][kw-1-kx][c][o]. */
  flip_filter(
    src: number,
    dst: number,
    filterHeight: number,
    filterWidth: number,
    inChannels: number,
    outChannels: number,
  ): void;
}

/** The kernels bound to one heap, and which multiply-add they were compiled with. */
export type BoundKernels = KernelExports & {
  /** True when the relaxed SIMD build loaded and its multiply-add is fused (multiplyAddFuses). */
  readonly fusedMultiplyAdd: boolean;
};

type Variant = { memory: 'plain' | 'shared'; relaxed: boolean };

const compiled = new Map<string, WebAssembly.Module>();
const instances = new WeakMap<object, BoundKernels>();
let relaxedSupport: boolean | undefined;
let fusedSupport: boolean | undefined;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function isShared(memory: WebAssembly.Memory): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
}

/**
 * Whether this engine runs WebAssembly relaxed SIMD (Chromium 114 and later;
 * Node 20 only with --experimental-wasm-relaxed-simd).
 */
export function relaxedSimdSupported(): boolean {
  relaxedSupport ??= WebAssembly.validate(decodeBase64(plainRelaxedKernelsBase64));
  return relaxedSupport;
}

/**
 * Tells whether relaxed SIMD's multiply-add is one fused instruction here.
 * The engine may lower f32x4.relaxed_madd to a multiply then an add (V8
 * does on x86 processors without FMA3), and then the direct kernels are no
 * faster than XNNPACK.
 */
export function multiplyAddFuses(): boolean {
  if (fusedSupport === undefined) {
    fusedSupport = false;
    if (relaxedSimdSupported()) {
      const instance = new WebAssembly.Instance(kernelModule({ memory: 'plain', relaxed: true }), {
        env: { memory: new WebAssembly.Memory({ initial: 1 }) },
      });
      const kernels = instance.exports as unknown as KernelExports;
      fusedSupport =
        kernels.multiply_add_probe(1 + 2 ** -12, 1 + 2 ** -12, -(1 + 2 ** -11)) === 2 ** -24;
    }
  }
  return fusedSupport;
}

function base64Of({ memory, relaxed }: Variant): string {
  if (memory === 'shared') return relaxed ? sharedRelaxedKernelsBase64 : sharedKernelsBase64;
  return relaxed ? plainRelaxedKernelsBase64 : plainKernelsBase64;
}

/** Compiles (once) one variant of kernels.wat. */
export function kernelModule(variant: Variant): WebAssembly.Module {
  const key = `${variant.memory}-${variant.relaxed}`;
  let module = compiled.get(key);
  if (module === undefined) {
    // The binaries are about 4.2 KB. Workers may compile synchronously, and
    // Chromium 156 also did so on a page's main thread (the bench's rows run there).
    module = new WebAssembly.Module(decodeBase64(base64Of(variant)));
    compiled.set(key, module);
  }
  return module;
}

/**
 * Instantiates the kernels on `memory` (plain or shared picks the variant).
 * They use the relaxed SIMD build where the engine has it, unless `relaxed`
 * is false (tests compare both builds).
 */
export function instantiateKernels(
  memory: WebAssembly.Memory,
  relaxed = relaxedSimdSupported(),
): BoundKernels {
  const variant: Variant = { memory: isShared(memory) ? 'shared' : 'plain', relaxed };
  const instance = new WebAssembly.Instance(kernelModule(variant), { env: { memory } });
  return {
    ...(instance.exports as unknown as KernelExports),
    fusedMultiplyAdd: relaxed && multiplyAddFuses(),
  };
}

/** Returns the kernels bound to `backend`'s heap, instantiating them on first use. */
export function kernelsFor(backend: WasmBackendInternals): BoundKernels {
  let kernels = instances.get(backend);
  if (kernels === undefined) {
    kernels = instantiateKernels(backendMemory(backend));
    instances.set(backend, kernels);
  }
  return kernels;
}

/**
 * Builds the config of one of our kernels for `wasm`. Its setup runs that of
 * `original`, the kernel it replaces and falls back to (if any), then binds
 * kernels.wat to the backend's heap.
 */
export function wasmKernelConfig(
  kernelName: string,
  kernelFunc: (args: never) => unknown,
  original?: KernelConfig,
): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    setupFunc: (backend) => {
      original?.setupFunc?.(backend);
      kernelsFor(backend as WasmBackendInternals);
    },
    kernelFunc: kernelFunc as unknown as KernelFunc,
  };
}
