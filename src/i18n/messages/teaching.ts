// Explanations of the teaching panel, for a student meeting DenseNet for the
// first time. `*.now` messages apply the idea to the network on screen; their
// placeholders are filled from the current plan. Facts and figures follow
// Huang et al., "Densely Connected Convolutional Networks" (CVPR 2017).
export const en = {
  'teaching.connectivity.title': 'Dense connectivity: concatenate, don’t add',
  'teaching.connectivity.body':
    'In a plain network each layer reads only the layer before it. ResNet adds a shortcut: xℓ = Hℓ(xℓ−1) + xℓ−1, so old and new features are summed into one tensor. DenseNet instead concatenates: xℓ = Hℓ([x0, x1, …, xℓ−1]). Every layer reads the feature maps of all earlier layers in its block, unchanged and side by side, so features are reused instead of relearned, and gradients reach early layers through short paths. A block of ℓ layers therefore has ℓ(ℓ+1)/2 connections instead of ℓ.',
  'teaching.connectivity.now':
    'Dense layers in your network: {layers}. Dense connections between them: {connections}. In its first block ℓ = {blockLayers}, so ℓ(ℓ+1)/2 = {blockConnections}.',
  'teaching.composite.title': 'The composite function Hℓ',
  'teaching.composite.body':
    'Each dense layer applies the same three steps to its concatenated input: batch normalization (BN), a ReLU, then a 3×3 convolution. Putting BN and ReLU before the convolution (pre-activation) lets every layer normalize the mix of old and new maps it receives.',
  'teaching.composite.now':
    'In your network every Hℓ ends in a 3×3 convolution with k = {k} output maps.',
  'teaching.growth.title': 'Growth rate k',
  'teaching.growth.body':
    'Each layer adds only k new feature maps to the block’s “collective knowledge”, so layers can be very narrow (the paper uses k = 12 to 40). Layer ℓ of a block whose input has k0 maps reads k0 + k(ℓ−1) maps.',
  'teaching.growth.now':
    'Block 1 starts with k0 = {k0} maps. Its last layer, ℓ = {layer}, reads {k0} + {k} × {previous} = {channels} maps, and the block ends with {out} maps.',
  'teaching.transition.title': 'Transition layers',
  'teaching.transition.body':
    'Concatenation needs feature maps of the same size, so the spatial size only changes between blocks. A transition layer does BN, a 1×1 convolution and a 2×2 average pooling, halving the height and width.',
  'teaching.transition.now':
    'Your first transition receives {m} maps of {size}×{size} and passes {out} maps of {half}×{half} to the next block.',
  'teaching.bottleneck.title': 'Bottleneck layers (DenseNet-B)',
  'teaching.bottleneck.body':
    'Late layers in a block read many maps. A bottleneck first shrinks them with a 1×1 convolution: BN-ReLU-Conv(1×1, 4k maps)-BN-ReLU-Conv(3×3, k maps). This cuts computation while keeping every connection.',
  'teaching.bottleneck.now':
    'Bottleneck is {state}: with k = {k} the 1×1 convolution outputs 4k = {width} maps.',
  'teaching.compression.title': 'Compression θ (DenseNet-C)',
  'teaching.compression.body':
    'A transition can also shrink the number of maps: if a block outputs m maps, the transition’s 1×1 convolution outputs ⌊θm⌋, with 0 < θ ≤ 1. θ = 1 keeps them all.',
  'teaching.compression.now':
    'With θ = {theta}, the first transition keeps ⌊{theta} × {m}⌋ = {out} maps.',
  'teaching.bc.title': 'DenseNet-BC',
  'teaching.bc.body':
    'DenseNet-BC uses both bottleneck layers and compression with θ = 0.5. It is the most parameter-efficient variant in the paper, and its stem has 2k maps.',
  'teaching.bc.now': '{state}',
  'teaching.results.title': 'What the paper found',
  'teaching.results.body':
    'DenseNets reach lower error with far fewer parameters than ResNets. On CIFAR-10 with augmentation, DenseNet-BC with L = 100 and k = 12 has only {refParams}M parameters and {refError}% test error; a 1001-layer pre-activation ResNet needs {resnetParams}M parameters for {resnetError}%.',
  'teaching.results.now': 'Your network has {params}M trainable parameters.',
  'teaching.figure.alt':
    'ResNet adds a layer’s output to its input, keeping the number of maps; DenseNet concatenates them, so the number of maps grows.',
  'teaching.figure.caption':
    'Addition keeps the width; concatenation stacks new maps beside the old ones.',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'teaching.connectivity.title': '밀집 연결: 더하지 않고 이어 붙이기',
  'teaching.connectivity.body':
    '일반적인 신경망에서는 각 층이 바로 앞 층의 출력만 받습니다. ResNet은 지름길(shortcut)을 더해 xℓ = Hℓ(xℓ−1) + xℓ−1로 계산하므로, 예전 특징과 새 특징이 하나의 텐서로 합쳐집니다. DenseNet은 더하지 않고 이어 붙입니다(concatenation): xℓ = Hℓ([x0, x1, …, xℓ−1]). 각 층은 같은 블록의 앞선 모든 층이 만든 특징 맵을 그대로 나란히 받습니다. 그래서 특징을 다시 배우지 않고 재사용하며, 기울기도 짧은 경로로 앞쪽 층까지 전달됩니다. 층이 ℓ개인 블록에는 연결이 ℓ개가 아니라 ℓ(ℓ+1)/2개 있습니다.',
  'teaching.connectivity.now':
    '지금 네트워크에는 밀집 층 {layers}개와 그 사이의 연결 {connections}개가 있습니다. 첫 블록은 {blockLayers}개 층이므로 {blockLayers}·({blockLayers}+1)/2 = {blockConnections}개 연결입니다.',
  'teaching.composite.title': '복합 함수 Hℓ',
  'teaching.composite.body':
    '모든 밀집 층은 이어 붙인 입력에 같은 세 단계를 적용합니다: 배치 정규화(BN), ReLU, 3×3 합성곱. BN과 ReLU를 합성곱 앞에 두면(pre-activation) 각 층이 받은 예전 맵과 새 맵을 함께 정규화할 수 있습니다.',
  'teaching.composite.now':
    '지금 네트워크의 모든 Hℓ는 출력 맵이 k = {k}개인 3×3 합성곱으로 끝납니다.',
  'teaching.growth.title': '성장률(growth rate) k',
  'teaching.growth.body':
    '각 층은 블록의 “공동 지식”에 새 특징 맵을 k개만 더하므로 층이 아주 좁아도 됩니다(논문은 k = 12~40을 씁니다). 입력 맵이 k0개인 블록에서 ℓ번째 층은 k0 + k(ℓ−1)개 맵을 받습니다.',
  'teaching.growth.now':
    '블록 1은 k0 = {k0}개 맵으로 시작합니다. 마지막 층(ℓ = {layer})은 {k0} + {k} × {previous} = {channels}개 맵을 받고, 블록은 {out}개 맵으로 끝납니다.',
  'teaching.transition.title': '전이 층(transition layer)',
  'teaching.transition.body':
    '이어 붙이려면 특징 맵의 크기가 같아야 하므로, 공간 크기는 블록 사이에서만 바뀝니다. 전이 층은 BN, 1×1 합성곱, 2×2 평균 풀링을 거쳐 높이와 너비를 절반으로 줄입니다.',
  'teaching.transition.now':
    '첫 전이 층은 {size}×{size} 크기의 맵 {m}개를 받아, {half}×{half} 크기의 맵 {out}개를 다음 블록에 넘깁니다.',
  'teaching.bottleneck.title': '병목 층(bottleneck, DenseNet-B)',
  'teaching.bottleneck.body':
    '블록 뒤쪽의 층은 많은 맵을 받습니다. 병목 층은 먼저 1×1 합성곱으로 맵 수를 줄입니다: BN-ReLU-Conv(1×1, 4k개 맵)-BN-ReLU-Conv(3×3, k개 맵). 연결은 모두 유지하면서 계산량을 줄입니다.',
  'teaching.bottleneck.now':
    '병목: {state}. k = {k}이므로 1×1 합성곱은 4k = {width}개 맵을 내보냅니다.',
  'teaching.compression.title': '압축률 θ(DenseNet-C)',
  'teaching.compression.body':
    '전이 층은 맵 수도 줄일 수 있습니다. 블록이 m개 맵을 내보내면 전이 층의 1×1 합성곱은 ⌊θm⌋개를 내보냅니다(0 < θ ≤ 1). θ = 1이면 모두 남깁니다.',
  'teaching.compression.now':
    'θ = {theta}이므로 첫 전이 층은 ⌊{theta} × {m}⌋ = {out}개 맵을 남깁니다.',
  'teaching.bc.title': 'DenseNet-BC',
  'teaching.bc.body':
    'DenseNet-BC는 병목 층과 θ = 0.5의 압축을 함께 씁니다. 논문에서 파라미터 효율이 가장 좋은 변형이며, 첫 합성곱은 2k개 맵을 내보냅니다.',
  'teaching.bc.now': '{state}',
  'teaching.results.title': '논문의 결과',
  'teaching.results.body':
    'DenseNet은 ResNet보다 훨씬 적은 파라미터로 더 낮은 오류율을 냅니다. 데이터 증강을 한 CIFAR-10에서 L = 100, k = 12인 DenseNet-BC는 파라미터가 {refParams}M개뿐인데 테스트 오류율이 {refError}%입니다. 1001층 pre-activation ResNet은 {resnetError}%를 내는 데 {resnetParams}M개가 필요합니다.',
  'teaching.results.now': '지금 네트워크의 학습 가능한 파라미터는 {params}M개입니다.',
  'teaching.figure.alt':
    'ResNet은 층의 출력을 입력에 더해 맵 수가 그대로이고, DenseNet은 이어 붙여 맵 수가 늘어납니다.',
  'teaching.figure.caption': '더하기는 폭을 유지하고, 이어 붙이기는 새 맵을 예전 맵 옆에 쌓습니다.',
} as const;
