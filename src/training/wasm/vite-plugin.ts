// A Vite plugin that keeps tfjs-backend-wasm's threaded build working after
// minification. TF.js 4.22 starts each pthread worker from a Blob holding
// `WasmBackendModuleThreadedSimd.toString()`, the emscripten factory
// function alone. That function reads `_scriptDir` (guarded by `typeof`),
// which the glue declares in an enclosing IIFE. A minifier renames the
// enclosing variable and drops the now-redundant `typeof` guard. Inside the
// Blob the renamed variable is then undefined, and every thread dies with
// "ReferenceError: e is not defined". Renaming the IIFE's variable leaves
// `_scriptDir` a free (global) name inside the factory, which minifiers
// neither rename nor unguard, and the guard then does its job in the
// workers. The main thread loses nothing: TF.js sets mainScriptUrlOrBlob,
// which the glue prefers over _scriptDir.

import type { Plugin } from 'vite';

const THREADED_GLUE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const OUTER_DECLARATION =
  "var _scriptDir = typeof document !== 'undefined' && document.currentScript ? document.currentScript.src : undefined;";
const OUTER_FALLBACK =
  "if (typeof __filename !== 'undefined') _scriptDir = _scriptDir || __filename;";

/** Rewrites the threaded glue's source; throws when the expected lines are missing. */
export function patchThreadedGlue(code: string): string {
  if (!code.includes(OUTER_DECLARATION) || !code.includes(OUTER_FALLBACK)) {
    throw new Error(
      'tfjs-backend-wasm threaded glue changed: the _scriptDir patch in src/training/wasm/vite-plugin.ts needs updating',
    );
  }
  return code
    .replace(OUTER_DECLARATION, OUTER_DECLARATION.replace('_scriptDir', '_outerScriptDir'))
    .replace(OUTER_FALLBACK, '');
}

export function wasmThreadsPlugin(): Plugin {
  return {
    name: 'densenet-playground:wasm-threads',
    enforce: 'pre',
    transform(code, id) {
      if (!THREADED_GLUE.test(id)) return null;
      return { code: patchThreadedGlue(code), map: null };
    },
  };
}
