// Messages for DenseNet config validation (src/densenet/validate.ts). Each
// issue's `code` is a key here; the UI shows it beside the field, whose label
// is `config.field.<name>`. `{received}` is the value given, quoted when it is
// not a number.
export const en = {
  'config.field.layout': 'Layout',
  'config.field.growthRate': 'Growth rate k',
  'config.field.depth': 'Depth L',
  'config.field.blockLayers': 'Layers per block',
  'config.field.bottleneck': 'Bottleneck (DenseNet-B)',
  'config.field.bottleneckWidth': 'Bottleneck width (× k)',
  'config.field.compression': 'Compression θ (DenseNet-C)',
  'config.field.initialChannels': 'Initial channels',
  'config.field.numClasses': 'Number of classes',
  'config.field.inputSize': 'Input size (pixels)',
  'config.field.dropRate': 'Dropout rate',

  'config.notObject': 'The configuration must be an object of named fields; received {received}.',
  'config.unknownField': 'Unknown field {received}. Remove it or check its spelling.',
  'config.required': 'This field is missing.',
  'config.notNumber': 'Must be a number from {min} to {max}; received {received}.',
  'config.notInteger': 'Must be a whole number from {min} to {max}; received {received}.',
  'config.outOfRange': 'Must be from {min} to {max}; received {received}.',
  'config.notBoolean': 'Must be true or false; received {received}.',
  'config.layout.invalid': 'Must be one of: {allowed}; received {received}.',
  'config.compression.outOfRange':
    'Must be greater than {min} and at most {max} (1 turns compression off); received {received}.',
  'config.compression.noChannels':
    'Compression θ = {received} leaves no channels after block {block}: ⌊θ × {channels}⌋ is 0. Use a larger θ.',
  'config.dropRate.outOfRange': 'Must be at least {min} and less than {max}; received {received}.',
  'config.blockLayers.required':
    'The {layout} layout needs the layers of each of its {expected} blocks.',
  'config.blockLayers.notArray':
    'Must be a list of layer counts, one per block; received {received}.',
  'config.blockLayers.wrongLength':
    'The {layout} layout has {expected} dense blocks; received {received} layer counts.',
  'config.depth.required': 'Give a depth L, or the layers of each block.',
  'config.depth.mismatch':
    'Depth {received} does not match the layers per block, which give depth {expected}.',
  'config.depth.notDivisible':
    'L − 4 must be divisible by {divisor} so that the three blocks have equal layers; received {received}. Nearest valid depths: {lower} and {upper}.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'config.field.layout': '구조 형태',
  'config.field.growthRate': '성장률(growth rate) k',
  'config.field.depth': '깊이 L',
  'config.field.blockLayers': '블록별 층 수',
  'config.field.bottleneck': '병목층(bottleneck, DenseNet-B)',
  'config.field.bottleneckWidth': '병목층 너비 (× k)',
  'config.field.compression': '압축률 θ (DenseNet-C)',
  'config.field.initialChannels': '초기 채널 수',
  'config.field.numClasses': '클래스 수',
  'config.field.inputSize': '입력 크기(픽셀)',
  'config.field.dropRate': '드롭아웃 비율',

  'config.notObject': '설정은 이름 있는 필드로 이루어진 객체여야 합니다. 받은 값: {received}.',
  'config.unknownField': '알 수 없는 필드 {received}입니다. 삭제하거나 철자를 확인하세요.',
  'config.required': '이 필드가 없습니다.',
  'config.notNumber': '{min}에서 {max} 사이의 숫자여야 합니다. 받은 값: {received}.',
  'config.notInteger': '{min}에서 {max} 사이의 정수여야 합니다. 받은 값: {received}.',
  'config.outOfRange': '{min}에서 {max} 사이여야 합니다. 받은 값: {received}.',
  'config.notBoolean': 'true 또는 false여야 합니다. 받은 값: {received}.',
  'config.layout.invalid': '{allowed} 중 하나여야 합니다. 받은 값: {received}.',
  'config.compression.outOfRange':
    '{min}보다 크고 {max} 이하여야 합니다(1이면 압축하지 않음). 받은 값: {received}.',
  'config.compression.noChannels':
    '압축률 θ = {received}이면 블록 {block} 뒤에 채널이 남지 않습니다: ⌊θ × {channels}⌋ = 0. θ를 더 크게 하세요.',
  'config.dropRate.outOfRange': '{min} 이상 {max} 미만이어야 합니다. 받은 값: {received}.',
  'config.blockLayers.required':
    '{layout} 구조에서는 {expected}개 블록 각각의 층 수를 정해야 합니다.',
  'config.blockLayers.notArray': '블록마다 하나씩, 층 수의 목록이어야 합니다. 받은 값: {received}.',
  'config.blockLayers.wrongLength':
    '{layout} 구조의 dense block은 {expected}개인데 층 수를 {received}개 받았습니다.',
  'config.depth.required': '깊이 L 또는 블록별 층 수를 정하세요.',
  'config.depth.mismatch':
    '깊이가 블록별 층 수와 맞지 않습니다. 받은 깊이: {received}, 블록별 층 수로 계산한 깊이: {expected}.',
  'config.depth.notDivisible':
    '세 블록의 층 수가 같으려면 L − 4가 {divisor}의 배수여야 합니다. 받은 값: {received}. 가장 가까운 유효 깊이: {lower}, {upper}.',
};
