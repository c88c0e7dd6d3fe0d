// The network as data. Shapes shared by validation, the plan, the UI and the
// worker; pure TypeScript with no imports.

/** `cifar`: 3 equal blocks after a 3x3 stem. `imagenet`: 4 blocks after a 7x7 stride-2 stem and 3x3 stride-2 max pool. */
export type Layout = 'cifar' | 'imagenet';

export interface DenseNetConfig {
  layout: Layout;
  /** Growth rate k: feature maps each layer adds. */
  growthRate: number;
  /** Depth L counted as in Huang et al. (2017): convolutions plus the classifier. Used when `blockLayers` is null. */
  depth: number | null;
  /** Explicit layers per dense block, such as [6, 12, 24, 16] for DenseNet-121. */
  blockLayers: number[] | null;
  /** DenseNet-B: BN-ReLU-Conv1x1(width·k) before each 3x3 convolution. */
  bottleneck: boolean;
  /** Bottleneck width multiplier: the 1x1 convolution outputs bottleneckWidth·k maps (4 in the paper). */
  bottleneckWidth: number;
  /** Compression θ in (0, 1]; a transition keeps ⌊θ·m⌋ of its m input maps. 1 means DenseNet-C is off. */
  compression: number;
  /** Output maps of the stem; null means the paper's default (16, or 2k for DenseNet-BC and the ImageNet layout). */
  initialChannels: number | null;
  numClasses: number;
  /** Input height and width in pixels (square images). */
  inputSize: number;
  /** Dropout rate after each convolution except the stem's, in dense layers and transitions (0 disables). */
  dropRate: number;
}

/** One problem found by validation. */
export interface ValidationIssue {
  field: keyof DenseNetConfig | string;
  /** Stable key for the i18n catalogues, such as 'depth.notDivisible'. */
  code: string;
  /** Values for the message: received value, allowed range, suggestions. */
  params: Record<string, string | number>;
}

export type LayerKind = 'stem-conv' | 'stem-pool' | 'dense-layer' | 'transition' | 'classifier';

/**
 * One node of the plan. A dense layer or transition includes its BN, ReLU, conv (and pool)
 * parts; the classifier includes the final BN, ReLU and global average pooling.
 */
export interface PlannedLayer {
  id: string;
  kind: LayerKind;
  /** 0-based dense block index; -1 for the stem and classifier. For a transition, the block before it. */
  block: number;
  /** 1-based layer index ℓ within its block (dense layers only, else 0). */
  indexInBlock: number;
  inChannels: number;
  /** Output maps: a dense layer's k new maps (before concatenation), ⌊θ·m⌋ for a transition, the class count for the classifier. */
  outChannels: number;
  /** Spatial size of the input and output feature maps (square). */
  inSize: number;
  outSize: number;
  /** Trainable parameters: conv kernels without bias, BN γ and β, classifier weights and bias. */
  trainableParams: number;
  /** BN moving mean and variance (non-trainable). */
  bnStatistics: number;
  /** Multiply-adds per image. */
  multiplyAdds: number;
  /** Kernel shapes [h, w, in, out] of this layer's convolutions in order (classifier: [in, out]). */
  kernels: number[][];
}

/** A dense connection: feature map `source` (0 = block input, j = output of layer j) feeds `target`. */
export interface DenseEdge {
  block: number;
  source: number;
  /** 1-based layer index, or `layers + 1` for the transition or classifier after the block. */
  target: number;
}

export interface BlockPlan {
  index: number;
  layers: number;
  inChannels: number;
  outChannels: number;
  /** Channels after the following transition (or the classifier's input for the last block). */
  channelsAfter: number;
  size: number;
  /** ℓ(ℓ+1)/2 edges into the block's layers. */
  edges: DenseEdge[];
  /** ℓ+1 edges into the following transition or classifier. */
  exitEdges: DenseEdge[];
}

export interface DenseNetPlan {
  config: DenseNetConfig;
  /** Depth L as the paper counts it. */
  depth: number;
  initialChannels: number;
  layers: PlannedLayer[];
  blocks: BlockPlan[];
  /** Paper convention: conv without bias, BN γ and β, classifier with bias. */
  trainableParams: number;
  /** Trainable plus BN moving statistics, as TF.js `countParams` reports. */
  totalParams: number;
  multiplyAddsPerImage: number;
  /** FLOPs per image counted as 2 × multiply-adds. */
  flopsPerImage: number;
}

/** A valid config with its derived fields filled in (see `resolveConfig`). */
export interface ResolvedConfig extends DenseNetConfig {
  depth: number;
  blockLayers: number[];
  initialChannels: number;
}

/** Result of `validateConfig`: the checked config, or every problem found. */
export type ValidationResult =
  | { ok: true; config: DenseNetConfig }
  | { ok: false; issues: ValidationIssue[] };

/** Float32 activation memory of one training batch, in bytes (see `activationMemory`). */
export interface ActivationMemory {
  batchSize: number;
  /** Each concatenation stored as a new tensor, as a plain `tf.layers` build does: quadratic in block length. */
  naiveBytes: number;
  /** Concatenation, BN and ReLU outputs in shared buffers recomputed in the backward pass: linear in block length. */
  sharedBytes: number;
}
