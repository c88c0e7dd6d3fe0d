// Messages for the training worker's events: why a backend was skipped, why a
// run stopped, and what the learner can do about it. Keys match the `code` of
// the UserFacingError the worker sends.
export const en = {
  'backend.webgpuUnsupported':
    'This browser has no WebGPU, so training runs on a slower backend. Chrome or Edge 113+ (or Safari 26+) on a secure page (https or localhost) have WebGPU.',
  'backend.webgpuNoAdapter':
    'WebGPU is present but no GPU adapter or device could be opened (the GPU may be blocked or busy). Training runs on a slower backend; try restarting the browser or updating its graphics driver.',
  'backend.notRegistered':
    'The {backend} backend is not available in this browser. Choose another backend, or Auto.',
  'backend.initFailed': 'The {backend} backend failed to start. Choose another backend, or Auto.',
  'backend.startTimedOut':
    'The {backend} backend did not start within {seconds} seconds, so another backend is used. Reload the page to try it again.',
  'backend.cannotTrain':
    'The {backend} backend cannot train this network: it lacks the {kernel} operation. Choose WebGPU, WebGL or CPU.',
  'backend.wasmCannotTrain':
    'The WebAssembly backend has no training kernels in this build, so it can run a model but not train it. Choose WebGPU, WebGL or CPU.',
  'run.deviceLost':
    'The GPU device was lost, so training stopped. The curves so far are kept. Train again to get a new device, or choose another backend.',
  'run.outOfMemory':
    'The {backend} backend ran out of memory at batch size {batchSize}, so training stopped. The curves so far are kept. Try a smaller batch, a smaller network (lower depth or growth rate), or another backend.',
  'run.diverged':
    'The loss jumped to {loss} at step {step}, so training stopped: the network diverged. Lower the learning rate (now {learningRate}) and train again.',
  'run.failed': 'Training stopped with an error. Try another backend or a smaller network.',
  'run.unexpected': 'The training worker hit an unexpected error.',
  'run.noData': 'Load a dataset before training.',
  'run.tooFewImages':
    'The training split has {count} images; training needs at least {minimum}. Load a larger subset.',
  'run.classMismatch':
    'The network has {configClasses} outputs but the dataset has {dataClasses} classes. Set the number of classes to {dataClasses}.',
  'run.notFound': 'Run {runId} is no longer in the worker; start a new run.',
  'run.invalidConfig': 'The network configuration is invalid: {field}.',
  'training.settings.missing': 'The training settings are missing.',
  'training.settings.outOfRange': '{field} must be between {min} and {max}; received {value}.',
  'training.settings.invalidChoice': '{field} must be one of {allowed}; received {value}.',
  'checkpoint.notFound': 'Checkpoint {checkpointId} was not found. It may have been deleted.',
  'checkpoint.incompatible':
    'Checkpoint {checkpointId} was saved for a different network and cannot be restored into this one.',
  'checkpoint.failed': 'Saving or reading the checkpoint failed. The browser storage may be full.',
  'checkpoint.unavailable':
    'This browser does not allow IndexedDB storage here, so checkpoints are off.',
  'save.failed': 'Saving the model failed.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'backend.webgpuUnsupported':
    '이 브라우저에는 WebGPU가 없어 더 느린 백엔드로 학습합니다. 보안 페이지(https 또는 localhost)의 Chrome·Edge 113 이상(또는 Safari 26 이상)에서 WebGPU를 쓸 수 있습니다.',
  'backend.webgpuNoAdapter':
    'WebGPU는 있지만 GPU 어댑터나 장치를 열지 못했습니다(GPU가 차단되었거나 사용 중일 수 있습니다). 더 느린 백엔드로 학습합니다. 브라우저를 다시 시작하거나 그래픽 드라이버를 업데이트해 보세요.',
  'backend.notRegistered':
    '이 브라우저에서는 {backend} 백엔드를 쓸 수 없습니다. 다른 백엔드나 자동을 고르세요.',
  'backend.initFailed': '{backend} 백엔드를 시작하지 못했습니다. 다른 백엔드나 자동을 고르세요.',
  'backend.startTimedOut':
    '{backend} 백엔드가 {seconds}초 안에 시작되지 않아 다른 백엔드를 씁니다. 다시 시도하려면 페이지를 새로 고치세요.',
  'backend.cannotTrain':
    '{backend} 백엔드에는 {kernel} 연산이 없어 이 네트워크를 학습할 수 없습니다. WebGPU, WebGL 또는 CPU를 고르세요.',
  'backend.wasmCannotTrain':
    '이 빌드의 WebAssembly 백엔드에는 학습용 커널이 없어 모델 실행만 되고 학습은 안 됩니다. WebGPU, WebGL 또는 CPU를 고르세요.',
  'run.deviceLost':
    'GPU 장치가 끊겨 학습이 멈췄습니다. 지금까지의 곡선은 그대로 남습니다. 다시 학습하면 새 장치를 받고, 다른 백엔드를 골라도 됩니다.',
  'run.outOfMemory':
    '배치 크기 {batchSize}에서 {backend} 백엔드의 메모리가 부족해 학습이 멈췄습니다. 지금까지의 곡선은 그대로 남습니다. 배치를 줄이거나, 네트워크를 작게(깊이나 성장률(growth rate)을 낮게) 하거나, 다른 백엔드를 고르세요.',
  'run.diverged':
    '{step}단계에서 손실이 {loss}까지 치솟아 학습을 멈췄습니다. 네트워크가 발산했습니다. 학습률(지금 {learningRate})을 낮추고 다시 학습하세요.',
  'run.failed': '오류로 학습이 멈췄습니다. 다른 백엔드나 더 작은 네트워크로 해 보세요.',
  'run.unexpected': '학습 워커에서 예상하지 못한 오류가 났습니다.',
  'run.noData': '학습하기 전에 데이터셋을 불러오세요.',
  'run.tooFewImages':
    '학습 데이터가 {count}장입니다. 학습에는 {minimum}장 이상이 필요합니다. 더 큰 부분집합을 불러오세요.',
  'run.classMismatch':
    '네트워크의 출력은 {configClasses}개인데 데이터셋의 클래스는 {dataClasses}개입니다. 클래스 수를 {dataClasses}개로 맞추세요.',
  'run.notFound': '{runId}번 실행은 워커에 더 이상 없습니다. 새로 학습을 시작하세요.',
  'run.invalidConfig': '네트워크 설정이 잘못되었습니다: {field}.',
  'training.settings.missing': '학습 설정이 없습니다.',
  'training.settings.outOfRange': '{field} 값은 {min}에서 {max} 사이여야 합니다. 받은 값: {value}.',
  'training.settings.invalidChoice': '{field} 값은 {allowed} 중 하나여야 합니다. 받은 값: {value}.',
  'checkpoint.notFound': '체크포인트를 찾지 못했습니다({checkpointId}). 삭제되었을 수 있습니다.',
  'checkpoint.incompatible':
    '이 체크포인트({checkpointId})는 다른 네트워크로 저장되어 이 네트워크에 복원할 수 없습니다.',
  'checkpoint.failed':
    '체크포인트를 저장하거나 읽지 못했습니다. 브라우저 저장 공간이 가득 찼을 수 있습니다.',
  'checkpoint.unavailable':
    '이 브라우저는 여기서 IndexedDB 저장을 허용하지 않아 체크포인트를 쓸 수 없습니다.',
  'save.failed': '모델을 저장하지 못했습니다.',
};
