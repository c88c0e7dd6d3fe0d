// Messages for the WebAssembly backend and the backend chooser: why 'auto'
// preferred WebAssembly, whether it runs on threads, and the figures of
// "measure".
export const en = {
  'backend.softwareRenderer':
    '{backend} runs on a software renderer here ({renderer}), which is slower than the CPU, so training uses WebAssembly. You can still choose {backend} yourself.',
  'backend.measureFailed': 'Measuring the {backend} backend failed: {detail}.',
  'backend.wasmThreads': 'WebAssembly trains on {threads} threads.',
  'backend.wasmSingleThread':
    'WebAssembly trains on one thread because this page is not cross-origin isolated. For threads, the site must send the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.',
  'measure.button': 'Measure backends',
  'measure.help':
    'Times a few training steps of the current network on every backend this browser offers and switches to the fastest.',
  'measure.running': 'Timing a few training steps on each backend…',
  'measure.result': '{backend}: {imagesPerSecond} images/s',
  'measure.chosen': 'Fastest: {backend}. Training uses it until you choose another backend.',
  'measure.none': 'No backend could train this network here.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'backend.softwareRenderer':
    '여기서는 {backend}가 소프트웨어 렌더러({renderer})로 동작해 CPU보다 느리므로 WebAssembly로 학습합니다. 원하면 {backend}를 직접 고를 수 있습니다.',
  'backend.measureFailed': '{backend} 백엔드를 측정하지 못했습니다: {detail}.',
  'backend.wasmThreads': 'WebAssembly가 스레드 {threads}개로 학습합니다.',
  'backend.wasmSingleThread':
    '이 페이지가 교차 출처 격리(cross-origin isolation) 상태가 아니어서 WebAssembly가 스레드 하나로 학습합니다. 스레드를 쓰려면 사이트가 Cross-Origin-Opener-Policy: same-origin과 Cross-Origin-Embedder-Policy: require-corp 헤더를 보내야 합니다.',
  'measure.button': '백엔드 속도 측정',
  'measure.help':
    '이 브라우저가 제공하는 모든 백엔드에서 현재 네트워크의 학습 단계를 몇 번 실행해 시간을 재고, 가장 빠른 백엔드로 바꿉니다.',
  'measure.running': '백엔드마다 학습 단계를 몇 번 실행해 시간을 재는 중…',
  'measure.result': '{backend}: 초당 {imagesPerSecond}장',
  'measure.chosen': '가장 빠른 백엔드: {backend}. 다른 백엔드를 고르기 전까지 이것으로 학습합니다.',
  'measure.none': '여기서는 이 네트워크를 학습할 수 있는 백엔드가 없습니다.',
};
