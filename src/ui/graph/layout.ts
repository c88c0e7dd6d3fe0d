// Positions for the connectivity graph, computed from the plan without the
// DOM. The network is laid out as an arc diagram on one baseline: stem, the
// layers of block 1, transition 1, … the classifier. A dense connection is an
// arc above the baseline from its source to its target. The exits of a block
// into its transition (or the classifier) are arcs below it.

import type { DenseNetPlan } from '../../densenet/types';

export type GraphNodeKind = 'stem' | 'layer' | 'transition' | 'classifier' | 'collapsed';

export interface GraphNode {
  /** Stable id, also used in the DOM: 'stem', 'b0-l3', 't0', 'classifier', 'b2-collapsed'. */
  id: string;
  kind: GraphNodeKind;
  /** Block the node belongs to; for a transition, the block before it; -1 for the stem and classifier. */
  block: number;
  /** 1-based layer index inside the block (layers only, else 0). */
  index: number;
  x: number;
  inChannels: number;
  outChannels: number;
}

export interface GraphEdge {
  block: number;
  source: number;
  target: number;
  /** True for the ℓ+1 connections into the transition or classifier after the block. */
  exit: boolean;
  sourceId: string;
  targetId: string;
  x1: number;
  x2: number;
}

export interface BlockFrame {
  block: number;
  x: number;
  width: number;
  layers: number;
  collapsed: boolean;
}

export interface GraphLayout {
  width: number;
  /** Distance between neighbouring layer nodes. */
  spacing: number;
  height: number;
  baseline: number;
  arcHeight: number;
  exitHeight: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
  frames: BlockFrame[];
  /** Dense connections of the plan, drawn or not (collapsed blocks draw none). */
  planEdgeCount: number;
}

export interface LayoutOptions {
  /** Width available; the layout grows beyond it when nodes would be closer than `minSpacing`. */
  width: number;
  collapsed: ReadonlySet<number>;
  minSpacing?: number;
  arcHeight?: number;
  exitHeight?: number;
}

const MARGIN = 24;
const COLLAPSED_WIDTH = 72;

/** Id of the node that is source `source` of block `block`: the block input (previous node) or a layer. */
export function sourceNodeId(
  block: number,
  source: number,
  collapsed: ReadonlySet<number>,
): string {
  if (collapsed.has(block)) return `b${block}-collapsed`;
  if (source > 0) return `b${block}-l${source}`;
  return block === 0 ? 'stem' : `t${block - 1}`;
}

export function layoutGraph(plan: DenseNetPlan, options: LayoutOptions): GraphLayout {
  const { collapsed } = options;
  const minSpacing = options.minSpacing ?? 9;
  const arcHeight = options.arcHeight ?? 150;
  const exitHeight = options.exitHeight ?? 46;

  // Slots: stem, then per block its layers (or one collapsed slot), then a transition or the classifier.
  let slotUnits = 2;
  let collapsedCount = 0;
  for (const block of plan.blocks) {
    if (collapsed.has(block.index)) collapsedCount += 1;
    else slotUnits += block.layers;
    slotUnits += 1;
  }
  const available = options.width - 2 * MARGIN - collapsedCount * COLLAPSED_WIDTH;
  const spacing = Math.max(minSpacing, available / Math.max(slotUnits, 1));
  const width = 2 * MARGIN + spacing * slotUnits + collapsedCount * COLLAPSED_WIDTH;
  const baseline = arcHeight + 28;

  const nodes: GraphNode[] = [];
  const frames: BlockFrame[] = [];
  const xById = new Map<string, number>();
  let cursor = MARGIN + spacing / 2;
  const place = (node: Omit<GraphNode, 'x'>, advance: number) => {
    const x = cursor + (advance - spacing) / 2;
    nodes.push({ ...node, x });
    xById.set(node.id, x);
    cursor += advance;
  };

  const firstBlock = plan.blocks[0];
  place(
    {
      id: 'stem',
      kind: 'stem',
      block: -1,
      index: 0,
      inChannels: 3,
      outChannels: firstBlock?.inChannels ?? 0,
    },
    spacing,
  );

  for (const block of plan.blocks) {
    const start = cursor - spacing / 2;
    if (collapsed.has(block.index)) {
      place(
        {
          id: `b${block.index}-collapsed`,
          kind: 'collapsed',
          block: block.index,
          index: 0,
          inChannels: block.inChannels,
          outChannels: block.outChannels,
        },
        COLLAPSED_WIDTH,
      );
    } else {
      const k = plan.config.growthRate;
      for (let index = 1; index <= block.layers; index++) {
        place(
          {
            id: `b${block.index}-l${index}`,
            kind: 'layer',
            block: block.index,
            index,
            inChannels: block.inChannels + k * (index - 1),
            outChannels: k,
          },
          spacing,
        );
      }
    }
    frames.push({
      block: block.index,
      x: start,
      width: cursor - spacing / 2 - start,
      layers: block.layers,
      collapsed: collapsed.has(block.index),
    });
    const last = block.index === plan.blocks.length - 1;
    place(
      {
        id: last ? 'classifier' : `t${block.index}`,
        kind: last ? 'classifier' : 'transition',
        block: last ? -1 : block.index,
        index: 0,
        inChannels: block.outChannels,
        outChannels: last ? plan.config.numClasses : block.channelsAfter,
      },
      spacing,
    );
  }

  const edges: GraphEdge[] = [];
  let planEdgeCount = 0;
  for (const block of plan.blocks) {
    planEdgeCount += block.edges.length;
    if (collapsed.has(block.index)) continue;
    const exitId = block.index === plan.blocks.length - 1 ? 'classifier' : `t${block.index}`;
    for (const edge of block.edges) {
      const sourceId = sourceNodeId(block.index, edge.source, collapsed);
      const targetId = `b${block.index}-l${edge.target}`;
      edges.push({
        block: block.index,
        source: edge.source,
        target: edge.target,
        exit: false,
        sourceId,
        targetId,
        x1: xById.get(sourceId) ?? 0,
        x2: xById.get(targetId) ?? 0,
      });
    }
    for (const edge of block.exitEdges) {
      const sourceId = sourceNodeId(block.index, edge.source, collapsed);
      edges.push({
        block: block.index,
        source: edge.source,
        target: edge.target,
        exit: true,
        sourceId,
        targetId: exitId,
        x1: xById.get(sourceId) ?? 0,
        x2: xById.get(exitId) ?? 0,
      });
    }
  }

  return {
    width,
    spacing,
    height: baseline + exitHeight + 34,
    baseline,
    arcHeight,
    exitHeight,
    nodes,
    edges,
    frames,
    planEdgeCount,
  };
}

/**
 * SVG path of an edge: an elliptical arc whose height grows with its span,
 * scaled so the longest arc of a block reaches `height`. Dense connections
 * arc upwards, exits downwards.
 */
export function edgePath(
  edge: GraphEdge,
  baseline: number,
  height: number,
  maxSpan: number,
): string {
  const span = Math.max(edge.x2 - edge.x1, 1);
  const rx = span / 2;
  const ry = Math.max(4, (height * span) / Math.max(maxSpan, 1));
  const sweep = edge.exit ? 0 : 1;
  return `M${round1(edge.x1)},${baseline}A${round1(rx)},${round1(ry)} 0 0 ${sweep} ${round1(edge.x2)},${baseline}`;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
