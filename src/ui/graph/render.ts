// D3 drawing of the connectivity graph into an <svg>. One <path> per dense
// connection (data-testid="graph-edge") and per exit connection
// (data-testid="graph-exit-edge"), so tests count real elements; nodes are
// focusable groups with a roving tabindex.

import * as d3 from 'd3';
import type { FeatureReuseMatrix } from '../../training/protocol';
import { edgePath, type GraphEdge, type GraphLayout, type GraphNode } from './layout';

export interface GraphLabels {
  block(block: number, layers: number, collapsed: boolean): string;
  node(node: GraphNode): string;
  toggle(block: number, collapsed: boolean): string;
  /** Caption under the stem, a transition or the classifier. */
  short(node: GraphNode): string;
}

export interface DrawnGraph {
  /** Edges drawn into (inputs) and out of (outputs) each node id. */
  inputs: Map<string, SVGPathElement[]>;
  outputs: Map<string, SVGPathElement[]>;
  edges: { edge: GraphEdge; element: SVGPathElement }[];
  drawMs: number;
  /** True while the edges carry feature-reuse colours. */
  coloured: boolean;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draws `layout` into `svg`, replacing what was there. */
export function drawGraph(
  svg: SVGSVGElement,
  layout: GraphLayout,
  labels: GraphLabels,
): DrawnGraph {
  const started = performance.now();
  const root = d3.select(svg);
  root
    .attr('viewBox', `0 0 ${layout.width} ${layout.height}`)
    .attr('width', layout.width)
    .attr('height', layout.height)
    .attr('data-edge-count', layout.planEdgeCount)
    .attr('data-drawn-edge-count', layout.edges.filter((edge) => !edge.exit).length)
    .attr('data-exit-edge-count', layout.edges.filter((edge) => edge.exit).length);
  // Dropping the old children in one call is much cheaper than D3's per-element remove().
  svg.textContent = '';

  const frames = root.append('g').attr('class', 'graph-frames');
  frames
    .selectAll('rect')
    .data(layout.frames)
    .join('rect')
    .attr('class', (frame) => `graph-frame graph-frame--${frame.block % 2}`)
    .attr('x', (frame) => frame.x)
    .attr('y', 6)
    .attr('width', (frame) => frame.width)
    .attr('height', layout.height - 12)
    .attr('rx', 8);

  // Per-block arc scaling: the longest span of a block reaches the full arc height.
  const maxSpan = new Map<string, number>();
  for (const edge of layout.edges) {
    const key = `${edge.block}-${edge.exit}`;
    maxSpan.set(key, Math.max(maxSpan.get(key) ?? 0, edge.x2 - edge.x1));
  }

  const inputs = new Map<string, SVGPathElement[]>();
  const outputs = new Map<string, SVGPathElement[]>();
  const drawn: DrawnGraph['edges'] = [];

  // The browser parses one markup string several times faster than it runs 3,000+ createElementNS
  // and setAttribute calls (measured with bench/ui-graph.mjs). The parsed paths are read back in order.
  const markup: string[] = [];
  for (const edge of layout.edges) {
    const height = edge.exit ? layout.exitHeight : layout.arcHeight;
    const d = edgePath(
      edge,
      layout.baseline,
      height,
      maxSpan.get(`${edge.block}-${edge.exit}`) ?? 1,
    );
    markup.push(
      edge.exit
        ? `<path class="edge edge--exit" data-testid="graph-exit-edge" data-block="${edge.block}" data-source="${edge.source}" data-target="${edge.target}" d="${d}"/>`
        : `<path class="edge" data-testid="graph-edge" data-block="${edge.block}" data-source="${edge.source}" data-target="${edge.target}" d="${d}"/>`,
    );
  }
  const edgeGroup = document.createElementNS(SVG_NS, 'g');
  edgeGroup.setAttribute('class', 'graph-edges');
  edgeGroup.innerHTML = markup.join('');
  svg.appendChild(edgeGroup);
  const elements = edgeGroup.children;
  layout.edges.forEach((edge, index) => {
    const path = elements[index] as SVGPathElement;
    drawn.push({ edge, element: path });
    pushTo(outputs, edge.sourceId, path);
    pushTo(inputs, edge.targetId, path);
  });

  root
    .append('line')
    .attr('class', 'graph-baseline')
    .attr('x1', 0)
    .attr('x2', layout.width)
    .attr('y1', layout.baseline)
    .attr('y2', layout.baseline);

  const nodeGroup = root.append('g').attr('class', 'graph-nodes').attr('role', 'list');
  const nodes = nodeGroup
    .selectAll<SVGGElement, GraphNode>('g')
    .data(layout.nodes)
    .join('g')
    .attr('class', (node) => `graph-node graph-node--${node.kind}`)
    .attr('role', 'listitem')
    .attr('data-testid', (node) => `graph-node-${node.id}`)
    .attr('data-node', (node) => node.id)
    .attr('data-kind', (node) => node.kind)
    .attr('tabindex', (_node, index) => (index === 0 ? 0 : -1))
    .attr('aria-label', (node) => labels.node(node))
    .attr('transform', (node) => `translate(${node.x},${layout.baseline})`);
  // A transparent hit area as wide as the node's slot makes small markers easy to point at.
  const hitWidth = Math.max(layout.spacing, 8);
  nodes
    .filter((node) => node.kind !== 'collapsed')
    .append('rect')
    .attr('class', 'graph-node__hit')
    .attr('x', -hitWidth / 2)
    .attr('y', -12)
    .attr('width', hitWidth)
    .attr('height', 24);
  nodes
    .filter((node) => node.kind !== 'collapsed')
    .append('circle')
    .attr('r', (node) => (node.kind === 'layer' ? 4.5 : 7));
  nodes
    .filter((node) => node.kind === 'collapsed')
    .append('rect')
    .attr('x', -30)
    .attr('y', -14)
    .attr('width', 60)
    .attr('height', 28)
    .attr('rx', 6);
  nodes
    .filter((node) => node.kind === 'collapsed')
    .append('text')
    .attr('text-anchor', 'middle')
    .attr('dy', '0.35em')
    .text((node) => `${layout.frames.find((frame) => frame.block === node.block)?.layers ?? ''}×`);
  // Labels sit outside the node groups so that a node's box stays centred on its marker.
  root
    .append('g')
    .attr('class', 'graph-labels')
    .attr('aria-hidden', 'true')
    .selectAll('text')
    .data(
      layout.nodes.filter(
        (node) => node.kind === 'transition' || node.kind === 'stem' || node.kind === 'classifier',
      ),
    )
    .join('text')
    .attr('class', 'graph-node__label')
    .attr('text-anchor', 'middle')
    .attr('x', (node) => node.x)
    .attr('y', layout.baseline + layout.exitHeight + 22)
    .text((node) => labels.short(node));

  // Block captions double as collapse/expand buttons.
  const toggles = root
    .append('g')
    .attr('class', 'graph-toggles')
    .selectAll<SVGGElement, (typeof layout.frames)[number]>('g')
    .data(layout.frames)
    .join('g')
    .attr('class', 'graph-toggle')
    .attr('role', 'button')
    .attr('tabindex', 0)
    .attr('data-testid', (frame) => `graph-toggle-${frame.block}`)
    .attr('data-block', (frame) => frame.block)
    .attr('aria-expanded', (frame) => String(!frame.collapsed))
    .attr('aria-label', (frame) => labels.toggle(frame.block, frame.collapsed))
    .attr('transform', (frame) => `translate(${frame.x + 8},22)`);
  toggles.append('text').text((frame) =>
    // A narrow block gets its number only; the full caption stays in the aria-label.
    frame.width < 120
      ? `${frame.collapsed ? '▸' : '▾'} ${frame.block + 1}`
      : `${frame.collapsed ? '▸' : '▾'} ${labels.block(frame.block, frame.layers, frame.collapsed)}`,
  );

  return { inputs, outputs, edges: drawn, drawMs: performance.now() - started, coloured: false };
}

function pushTo(map: Map<string, SVGPathElement[]>, key: string, value: SVGPathElement): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Marks the edges into and out of `nodeId`; null clears the highlight. */
export function highlightNode(svg: SVGSVGElement, drawn: DrawnGraph, nodeId: string | null): void {
  for (const element of svg.querySelectorAll('.is-input, .is-output, .is-focused')) {
    element.classList.remove('is-input', 'is-output', 'is-focused');
  }
  svg.classList.toggle('has-highlight', nodeId !== null);
  if (nodeId === null) return;
  for (const path of drawn.inputs.get(nodeId) ?? []) path.classList.add('is-input');
  for (const path of drawn.outputs.get(nodeId) ?? []) path.classList.add('is-output');
  svg.querySelector(`[data-node="${nodeId}"]`)?.classList.add('is-focused');
}

/**
 * Colours each edge by the mean absolute weight its target puts on its source
 * (the feature-reuse matrix), normalised per target so that every layer's
 * strongest input is the top of the scale. Null restores the neutral colour.
 */
export function colourByReuse(drawn: DrawnGraph, reuse: FeatureReuseMatrix | null): void {
  if (reuse === null && !drawn.coloured) return;
  drawn.coloured = reuse !== null;
  const colour = d3.interpolateViridis;
  const rowMax = new Map<number[], number>();
  for (const { edge, element } of drawn.edges) {
    const blockReuse = reuse?.blocks.find((entry) => entry.block === edge.block);
    const row = blockReuse
      ? edge.exit
        ? blockReuse.transition
        : blockReuse.weights[edge.target]
      : undefined;
    const value = row?.[edge.source];
    if (row === undefined || value === undefined || !Number.isFinite(value)) {
      element.style.removeProperty('--reuse');
      element.removeAttribute('data-reuse');
      continue;
    }
    let max = rowMax.get(row);
    if (max === undefined) {
      max = Math.max(0, ...row.filter((entry) => Number.isFinite(entry)));
      rowMax.set(row, max);
    }
    const normalised = max > 0 ? value / max : 0;
    element.style.setProperty('--reuse', colour(normalised));
    element.setAttribute('data-reuse', normalised.toFixed(3));
  }
}
