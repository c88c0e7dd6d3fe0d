// Messages for the WebAssembly backend and the backend chooser: why 'auto'
// preferred WebAssembly, why it runs on one thread, and why measuring a
// backend failed.
export const en = {
  'backend.softwareRenderer':
    '{backend} runs on a software renderer here ({renderer}), which is slower than the CPU, so training uses WebAssembly. You can still choose {backend} yourself.',
  'backend.measureFailed': 'Measuring the {backend} backend failed.',
  'backend.measureAllFailed':
    'Measuring the backends failed; training stays on the backend in use.',
  'backend.wasmSingleThread':
    'WebAssembly trains on one thread because this page is not cross-origin isolated. For threads, the site must send the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.',
  'backend.wasmNoRelaxedSimd':
    'WebAssembly has no fused multiply-add here (it needs relaxed SIMD, in Chromium 114 and later, and a processor with FMA), so convolutions multiply and add in separate steps and train at about half the speed.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'backend.softwareRenderer':
    '여기서는 {backend} 백엔드가 소프트웨어 렌더러({renderer})로 동작해 CPU보다 느리므로 WebAssembly로 학습합니다. 원하면 {backend} 백엔드를 직접 고를 수 있습니다.',
  'backend.measureFailed': '{backend} 백엔드를 측정하지 못했습니다.',
  'backend.measureAllFailed': '백엔드를 측정하지 못했습니다. 학습은 지금 쓰는 백엔드로 계속합니다.',
  'backend.wasmSingleThread':
    '이 페이지가 교차 출처 격리(cross-origin isolation) 상태가 아니어서 WebAssembly가 스레드 하나로 학습합니다. 스레드를 쓰려면 사이트가 Cross-Origin-Opener-Policy: same-origin과 Cross-Origin-Embedder-Policy: require-corp 헤더를 보내야 합니다.',
  'backend.wasmNoRelaxedSimd':
    '여기서는 WebAssembly가 융합 곱셈-덧셈(fused multiply-add)을 쓸 수 없어(relaxed SIMD를 지원하는 Chromium 114 이상과 FMA를 지원하는 프로세서가 필요합니다) 합성곱에서 곱셈과 덧셈을 따로 계산하므로, 학습 속도가 절반 정도입니다.',
};
