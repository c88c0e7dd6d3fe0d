import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../densenet/config';
import { planDenseNet } from '../../densenet/plan';
import { findPreset } from '../../densenet/presets';
import { edgePath, layoutGraph } from './layout';

const none = new Set<number>();

describe('layoutGraph', () => {
  it('places one edge per dense connection of DenseNet-BC L=250 k=24', () => {
    const plan = planDenseNet(findPreset('densenet-bc-250-k24')!.config);
    const layout = layoutGraph(plan, { width: 900, collapsed: none });
    expect(layout.edges.filter((edge) => !edge.exit)).toHaveLength(2583);
    expect(layout.edges.filter((edge) => edge.exit)).toHaveLength(3 * 42);
    expect(layout.planEdgeCount).toBe(2583);
    // Stem, 123 layers, 2 transitions, classifier.
    expect(layout.nodes).toHaveLength(127);
  });

  it('orders nodes left to right and keeps a minimum spacing', () => {
    const plan = planDenseNet(findPreset('densenet-264')!.config);
    const layout = layoutGraph(plan, { width: 600, collapsed: none, minSpacing: 9 });
    for (let i = 1; i < layout.nodes.length; i++) {
      expect(layout.nodes[i]!.x - layout.nodes[i - 1]!.x).toBeGreaterThanOrEqual(9 - 1e-9);
    }
    expect(layout.width).toBeGreaterThan(600);
  });

  it('reads k0 + k(ℓ-1) input channels for each layer', () => {
    const plan = planDenseNet(defaultConfig());
    const layout = layoutGraph(plan, { width: 900, collapsed: none });
    const third = layout.nodes.find((node) => node.id === 'b0-l3')!;
    expect(third.inChannels).toBe(24 + 12 * 2);
    const transition = layout.nodes.find((node) => node.id === 't0')!;
    expect(transition.inChannels).toBe(96);
    expect(transition.outChannels).toBe(48);
  });

  it('connects sources to the previous transition or the stem', () => {
    const plan = planDenseNet(defaultConfig());
    const layout = layoutGraph(plan, { width: 900, collapsed: none });
    const intoFirst = layout.edges.filter((edge) => edge.targetId === 'b1-l1');
    expect(intoFirst.map((edge) => edge.sourceId)).toEqual(['t0']);
    const fromStem = layout.edges.filter((edge) => edge.sourceId === 'stem');
    expect(fromStem).toHaveLength(6 + 1);
  });

  it('draws no edges for a collapsed block but keeps the plan count', () => {
    const plan = planDenseNet(defaultConfig());
    const layout = layoutGraph(plan, { width: 900, collapsed: new Set([1]) });
    expect(layout.edges.filter((edge) => edge.block === 1)).toHaveLength(0);
    expect(layout.edges.filter((edge) => !edge.exit)).toHaveLength(42);
    expect(layout.planEdgeCount).toBe(63);
    expect(layout.nodes.some((node) => node.id === 'b1-collapsed')).toBe(true);
  });
});

describe('edgePath', () => {
  it('arcs dense edges upwards and exits downwards', () => {
    const base = { block: 0, source: 0, target: 1, sourceId: 'a', targetId: 'b', x1: 10, x2: 30 };
    expect(edgePath({ ...base, exit: false }, 100, 50, 20)).toBe('M10,100A10,50 0 0 1 30,100');
    expect(edgePath({ ...base, exit: true }, 100, 50, 20)).toBe('M10,100A10,50 0 0 0 30,100');
  });
});
