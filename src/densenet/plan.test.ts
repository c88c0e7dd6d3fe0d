import { describe, expect, it } from 'vitest';
import { defaultConfig } from './config';
import { activationMemory, countConnections, planDenseNet, sourceChannelRanges } from './plan';
import type { DenseNetConfig } from './types';

function cifar(overrides: Partial<DenseNetConfig>): DenseNetConfig {
  return { ...defaultConfig(), ...overrides };
}

function plain(depth: number, growthRate: number, overrides: Partial<DenseNetConfig> = {}) {
  return cifar({ depth, growthRate, bottleneck: false, compression: 1, ...overrides });
}

function bc(depth: number, growthRate: number, overrides: Partial<DenseNetConfig> = {}) {
  return cifar({ depth, growthRate, bottleneck: true, compression: 0.5, ...overrides });
}

function imagenet(blockLayers: number[], growthRate: number): DenseNetConfig {
  return {
    layout: 'imagenet',
    growthRate,
    depth: null,
    blockLayers,
    bottleneck: true,
    bottleneckWidth: 4,
    compression: 0.5,
    initialChannels: 2 * growthRate,
    numClasses: 1000,
    inputSize: 224,
    dropRate: 0,
  };
}

describe('planDenseNet trainable parameters', () => {
  // CIFAR-10 counts of Huang et al. (2017), Table 2, counted exactly.
  const cases: [string, DenseNetConfig, number][] = [
    ['DenseNet L=40 k=12', plain(40, 12), 1_019_722],
    ['DenseNet L=100 k=12', plain(100, 12), 6_979_642],
    ['DenseNet L=100 k=24', plain(100, 24), 27_249_082],
    ['DenseNet-BC L=100 k=12', bc(100, 12), 769_162],
    ['DenseNet-BC L=250 k=24', bc(250, 24), 15_324_406],
    ['DenseNet-BC L=190 k=40', bc(190, 40), 25_624_430],
    ['DenseNet-BC L=100 k=12, CIFAR-100', bc(100, 12, { numClasses: 100 }), 800_032],
    ['DenseNet-C L=40 k=12', plain(40, 12, { compression: 0.5, initialChannels: 16 }), 578_090],
    ['DenseNet-121', imagenet([6, 12, 24, 16], 32), 7_978_856],
    ['DenseNet-169', imagenet([6, 12, 32, 32], 32), 14_149_480],
    ['DenseNet-201', imagenet([6, 12, 48, 32], 32), 20_013_928],
    ['DenseNet-161', imagenet([6, 12, 36, 24], 48), 28_681_000],
  ];
  for (const [name, config, expected] of cases) {
    it(`counts ${name}`, () => {
      expect(planDenseNet(config).trainableParams).toBe(expected);
    });
  }

  it('equals the sum over layers', () => {
    const plan = bc(100, 12);
    const planned = planDenseNet(plan);
    const layerSum = planned.layers.reduce((total, layer) => total + layer.trainableParams, 0);
    expect(layerSum).toBe(planned.trainableParams);
  });
});

describe('planDenseNet total parameters', () => {
  // Trainable plus BN moving mean and variance, as Keras and TF.js countParams report.
  const cases: [string, DenseNetConfig, number][] = [
    ['DenseNet-BC L=100 k=12', bc(100, 12), 793_150],
    ['DenseNet-121', imagenet([6, 12, 24, 16], 32), 8_062_504],
    ['DenseNet-169', imagenet([6, 12, 32, 32], 32), 14_307_880],
    ['DenseNet-201', imagenet([6, 12, 48, 32], 32), 20_242_984],
  ];
  for (const [name, config, expected] of cases) {
    it(`counts ${name}`, () => {
      expect(planDenseNet(config).totalParams).toBe(expected);
    });
  }
});

describe('planDenseNet structure', () => {
  it('follows the BC L=100 k=12 channel path', () => {
    const plan = planDenseNet(bc(100, 12));
    const path = plan.blocks.flatMap((block) => [block.inChannels, block.outChannels]);

    expect(plan.initialChannels).toBe(24);
    expect(path).toEqual([24, 216, 108, 300, 150, 342]);
    expect(plan.blocks.map((block) => block.channelsAfter)).toEqual([108, 150, 342]);
    expect(plan.blocks.map((block) => block.size)).toEqual([32, 16, 8]);
  });

  it('has two transitions and a 342-map classifier', () => {
    const plan = planDenseNet(bc(100, 12));
    const transitions = plan.layers.filter((layer) => layer.kind === 'transition');
    const classifier = plan.layers.at(-1);

    expect(transitions.map((layer) => [layer.inChannels, layer.outChannels])).toEqual([
      [216, 108],
      [300, 150],
    ]);
    expect(classifier?.kind).toBe('classifier');
    expect(classifier?.inChannels).toBe(342);
    expect(classifier?.kernels).toEqual([[342, 10]]);
  });

  it('gives the first bottleneck layer its kernels', () => {
    const plan = planDenseNet(bc(100, 12));
    const first = plan.layers.find((layer) => layer.kind === 'dense-layer');

    expect(first?.id).toBe('block1_layer1');
    expect(first?.kernels).toEqual([
      [1, 1, 24, 48],
      [3, 3, 48, 12],
    ]);
  });

  it('counts depth as the paper does', () => {
    expect(planDenseNet(bc(100, 12)).depth).toBe(100);
    expect(planDenseNet(plain(40, 12)).depth).toBe(40);
    expect(planDenseNet(imagenet([6, 12, 24, 16], 32)).depth).toBe(121);
    expect(planDenseNet(imagenet([6, 12, 36, 24], 48)).depth).toBe(161);
  });

  it('shrinks the ImageNet stem to 56 and blocks to 7', () => {
    const plan = planDenseNet(imagenet([6, 12, 24, 16], 32));
    const stem = plan.layers.slice(0, 2);

    expect(stem.map((layer) => [layer.kind, layer.inSize, layer.outSize])).toEqual([
      ['stem-conv', 224, 112],
      ['stem-pool', 112, 56],
    ]);
    expect(plan.blocks.map((block) => block.size)).toEqual([56, 28, 14, 7]);
    expect(plan.blocks.map((block) => block.outChannels)).toEqual([256, 512, 1024, 1024]);
  });

  it('floors odd sizes at transitions', () => {
    const plan = planDenseNet(plain(7, 4, { inputSize: 7 }));
    expect(plan.blocks.map((block) => block.size)).toEqual([7, 3, 1]);
  });

  it('keeps floor(θ·m) where floating point falls short', () => {
    // 0.7 * 90 is 62.99999999999999 in binary floating point; the transition keeps 63 maps.
    const plan = planDenseNet(bc(40, 12, { compression: 0.7, initialChannels: 18 }));
    const first = plan.blocks[0];

    expect(0.7 * 90).toBeLessThan(63);
    expect(first?.outChannels).toBe(90);
    expect(first?.channelsAfter).toBe(63);
  });

  it('counts multiply-adds of a tiny network', () => {
    // Stem 27·4·16, layers 9·4·2·16, 9·6·2·4, 9·8·2·1, transitions 6·6·16, 8·8·4, classifier 10·2.
    const plan = planDenseNet(tiny());
    expect(plan.layers.map((layer) => layer.multiplyAdds)).toEqual([
      1728, 1152, 576, 432, 256, 144, 20,
    ]);
    expect(plan.multiplyAddsPerImage).toBe(4308);
    expect(plan.flopsPerImage).toBe(8616);
  });

  it('rejects an invalid config', () => {
    expect(() => planDenseNet(plain(41, 12))).toThrow(/config\.depth\.notDivisible/);
  });
});

/** k=2, one layer per block, no compression, 4-map stem, 4x4 input, 2 classes. */
function tiny(): DenseNetConfig {
  return plain(7, 2, { initialChannels: 4, inputSize: 4, numClasses: 2 });
}

describe('planDenseNet connections', () => {
  it('counts 136 per block for BC L=100', () => {
    const counts = countConnections(planDenseNet(bc(100, 12)));
    expect(counts.perBlock).toEqual([136, 136, 136]);
    expect(counts.total).toBe(408);
    expect(counts.exitPerBlock).toEqual([17, 17, 17]);
    expect(counts.exitTotal).toBe(51);
  });

  it('counts 78 per block for L=40', () => {
    const counts = countConnections(planDenseNet(plain(40, 12)));
    expect(counts.perBlock).toEqual([78, 78, 78]);
    expect(counts.total).toBe(234);
    expect(counts.exitTotal).toBe(39);
  });

  it('connects every earlier map to each layer once', () => {
    const plan = planDenseNet(imagenet([6, 12, 24, 16], 32));
    for (const block of plan.blocks) {
      const layers = block.layers;
      expect(block.edges).toHaveLength((layers * (layers + 1)) / 2);
      expect(block.exitEdges).toHaveLength(layers + 1);
      for (let target = 1; target <= layers; target += 1) {
        const sources = block.edges
          .filter((edge) => edge.target === target)
          .map((edge) => edge.source);
        expect(sources).toEqual([...Array(target).keys()]);
      }
      expect(block.exitEdges.map((edge) => edge.source)).toEqual([...Array(layers + 1).keys()]);
      expect(new Set(block.exitEdges.map((edge) => edge.target))).toEqual(new Set([layers + 1]));
      expect(new Set([...block.edges, ...block.exitEdges].map((edge) => edge.block))).toEqual(
        new Set([block.index]),
      );
    }
  });

  it('locates source channels in the concatenation', () => {
    const plan = planDenseNet(bc(100, 12));
    expect(sourceChannelRanges(plan, 1, 3)).toEqual([
      { source: 0, start: 0, end: 108 },
      { source: 1, start: 108, end: 120 },
      { source: 2, start: 120, end: 132 },
    ]);
    const exit = sourceChannelRanges(plan, 2, 17);
    expect(exit).toHaveLength(17);
    expect(exit.at(-1)).toEqual({ source: 16, start: 330, end: 342 });
    expect(() => sourceChannelRanges(plan, 0, 18)).toThrow(RangeError);
    expect(() => sourceChannelRanges(plan, 3, 1)).toThrow(RangeError);
  });
});

describe('activationMemory', () => {
  it('counts a tiny network exactly', () => {
    // Shared by both (floats per image): stem 4·16; transitions (2·6+6)·16 + 6·4 and
    // (2·8+8)·4 + 8·1; classifier 2·10 + 10 + 2. Sum 512.
    // Naive adds conv k·HW, BN and ReLU 2·m·HW, concat (m+k)·HW per layer: 256 + 88 + 28 = 372.
    // Shared adds block buffers 6·16 + 8·4 + 10·1 = 138 and two buffers of 4·16: 266.
    const memory = activationMemory(planDenseNet(tiny()), 2);
    expect(memory.batchSize).toBe(2);
    expect(memory.naiveBytes).toBe(4 * 2 * (512 + 372));
    expect(memory.sharedBytes).toBe(4 * 2 * (512 + 266));
  });

  it('scales linearly with batch size', () => {
    const plan = planDenseNet(bc(100, 12));
    const one = activationMemory(plan, 1);
    const many = activationMemory(plan, 64);
    expect(many.naiveBytes).toBe(64 * one.naiveBytes);
    expect(many.sharedBytes).toBe(64 * one.sharedBytes);
  });

  it('grows quadratically only when naive', () => {
    // Dense-block memory for n layers per block is ~n² naive and ~n shared, so the ratio
    // rises with n (4, 12 and 24 layers per block here).
    const ratios = [16, 40, 76].map((depth) => {
      const memory = activationMemory(planDenseNet(plain(depth, 12)), 1);
      return memory.naiveBytes / memory.sharedBytes;
    });
    expect(ratios[1]).toBeGreaterThan(ratios[0]!);
    expect(ratios[2]).toBeGreaterThan(ratios[1]!);
    expect(ratios[2]).toBeGreaterThan(2);
  });

  it('rejects a batch size below 1', () => {
    const plan = planDenseNet(tiny());
    expect(() => activationMemory(plan, 0)).toThrow(RangeError);
    expect(() => activationMemory(plan, 1.5)).toThrow(RangeError);
  });
});
