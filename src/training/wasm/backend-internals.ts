// The parts of TF.js 4.22's `wasm` backend (BackendWasm in
// @tensorflow/tfjs-backend-wasm/dist/backend_wasm.js) that our kernels use.
// They are not a public API, so this file is the one place that names them:
//
// - `dataIdMap.get(dataId)` returns `{id, memoryOffset, shape, dtype}`, where
//   `memoryOffset` is the byte offset of a tensor's float32 data in the
//   backend's linear memory. Data is dense and row-major, and an allocation
//   never moves when the heap grows (emscripten's malloc).
// - `makeOutput(shape, dtype)` mallocs a new tensor on that heap, and
//   `disposeData(dataId)` drops one reference and frees it at zero.
// - `makeOutput(shape, dtype, memoryOffset)` registers a tensor over memory
//   the backend did not allocate; `wasm.tfjs.disposeData(id)` unregisters
//   it on the C++ side (running disposal callbacks such as XNNPACK operator
//   caches) and `dataIdMap.delete(dataId)` on the JavaScript side, without
//   the free() that disposeData would call. makeView and releaseView below
//   use this to hand BatchMatMul a window into a larger buffer.
// - The memory itself is `wasm.wasmMemory` in the threaded build (a shared
//   memory that the JS glue creates) and `wasm.asm.memory` in the others
//   (exported by the module).
//
// A unit test checks each of these against the installed package, so an
// upgrade that changes them fails loudly instead of corrupting memory.

import type { DataId, DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
}

interface EmscriptenModule {
  asm?: { memory?: WebAssembly.Memory };
  wasmMemory?: WebAssembly.Memory;
  HEAPU8: Uint8Array;
  tfjs: { disposeData(id: number): void };
}

export interface WasmBackendInternals extends KernelBackend {
  wasm: EmscriptenModule;
  dataIdMap: {
    get(dataId: DataId): WasmTensorData | undefined;
    delete(dataId: DataId): boolean;
  };
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** Returns the backend's linear memory, checking that it is the heap the backend writes to. */
export function backendMemory(backend: WasmBackendInternals): WebAssembly.Memory {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error('wasm training kernels: the TF.js wasm backend exposes no WebAssembly.Memory');
  }
  if (memory.buffer !== backend.wasm.HEAPU8.buffer) {
    throw new Error("wasm training kernels: the backend's memory is not the buffer behind HEAPU8");
  }
  return memory;
}

/** Returns the byte offset of a float32 tensor's data on the backend's heap. */
export function memoryOffsetOf(backend: WasmBackendInternals, tensor: TensorInfo): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) {
    throw new Error(
      `wasm training kernels: tensor of shape [${tensor.shape}] is not on the wasm backend`,
    );
  }
  if (data.dtype !== 'float32') {
    throw new Error(`wasm training kernels: expected a float32 tensor, got ${data.dtype}`);
  }
  return data.memoryOffset;
}

/**
 * Registers a float32 tensor of `shape` over existing heap memory at
 * `memoryOffset`. The view must be dropped with releaseView, never disposed,
 * and only while the memory under it is alive.
 */
export function makeView(
  backend: WasmBackendInternals,
  memoryOffset: number,
  shape: number[],
): TensorInfo {
  return backend.makeOutput(shape, 'float32', memoryOffset);
}

/** Unregisters a view made by makeView without freeing the memory under it. */
export function releaseView(backend: WasmBackendInternals, view: TensorInfo): void {
  const data = backend.dataIdMap.get(view.dataId);
  if (data === undefined) return;
  backend.wasm.tfjs.disposeData(data.id);
  backend.dataIdMap.delete(view.dataId);
}
