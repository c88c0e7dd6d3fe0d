// The dense connectivity graph of the last valid network: layers grouped by
// block, transitions between them, every connection drawn. Hover or keyboard
// focus on a node highlights its inputs and outputs and explains its channels.
// Block captions collapse and expand their blocks. During training the edges
// take the colours of the feature-reuse matrix.

import {
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { DenseNetConfig, DenseNetPlan } from '../../densenet/types';
import { activeRun, useAppStore } from '../../state/store';
import { type Translate, useT } from '../i18n';
import { exportPng, exportSvg } from './exportGraph';
import { LayerTable } from './LayerTable';
import { type GraphNode, layoutGraph } from './layout';
import { ReuseHeatmap } from './ReuseHeatmap';
import { colourByReuse, type DrawnGraph, drawGraph, highlightNode } from './render';

const ARCHITECTURE_FIELDS = [
  'layout',
  'growthRate',
  'depth',
  'blockLayers',
  'bottleneck',
  'bottleneckWidth',
  'compression',
  'initialChannels',
] as const;

/** True when two configs build the same layers; classes and input size may differ. */
export function sameArchitecture(a: DenseNetConfig, b: DenseNetConfig): boolean {
  return ARCHITECTURE_FIELDS.every(
    (field) => JSON.stringify(a[field]) === JSON.stringify(b[field]),
  );
}

/** Text explaining a node's channels, with the numbers of the current plan. */
export function describeNode(t: Translate, plan: DenseNetPlan, node: GraphNode): string {
  const k = plan.config.growthRate;
  switch (node.kind) {
    case 'layer': {
      const block = plan.blocks[node.block]!;
      return t('ui.graph.detail.layer', {
        block: node.block + 1,
        layer: node.index,
        k0: block.inChannels,
        k,
        previous: node.index - 1,
        channels: node.inChannels,
      });
    }
    case 'transition': {
      const block = plan.blocks[node.block]!;
      return t('ui.graph.detail.transition', {
        block: node.block + 1,
        m: block.outChannels,
        theta: plan.config.compression,
        out: block.channelsAfter,
      });
    }
    case 'stem':
      return t('ui.graph.detail.stem', { out: node.outChannels });
    case 'classifier':
      return t('ui.graph.detail.classifier', { m: node.inChannels, classes: node.outChannels });
    case 'collapsed':
      return t('ui.graph.detail.collapsed', {
        block: node.block + 1,
        in: node.inChannels,
        out: node.outChannels,
      });
  }
}

export function ConnectivityGraph() {
  const t = useT();
  const plan = useAppStore((state) => state.plan);
  // Only the run's config and evaluation matter here. Both keep their identity across progress
  // events, so the graph renders again at an epoch's end, not at every step.
  const runConfig = useAppStore((state) => activeRun(state)?.config ?? null);
  // The heatmap and the edge colours follow in a later render, which React can interrupt.
  const evaluation = useDeferredValue(useAppStore((state) => activeRun(state)?.evaluation ?? null));
  const svgRef = useRef<SVGSVGElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const drawnRef = useRef<DrawnGraph | null>(null);
  const [width, setWidth] = useState(960);
  const [focused, setFocused] = useState<string | null>(null);
  const [showTable, setShowTable] = useState(false);

  // Collapsed blocks belong to one block count; a network with another count starts expanded.
  const blockCount = plan.blocks.length;
  const [collapsedState, setCollapsedState] = useState<{
    blockCount: number;
    blocks: ReadonlySet<number>;
  }>({
    blockCount,
    blocks: new Set(),
  });
  const collapsed = useMemo(
    () => (collapsedState.blockCount === blockCount ? collapsedState.blocks : new Set<number>()),
    [collapsedState, blockCount],
  );
  const setCollapsed = useCallback(
    (update: (current: ReadonlySet<number>) => ReadonlySet<number>) =>
      setCollapsedState((current) => ({
        blockCount,
        blocks: update(current.blockCount === blockCount ? current.blocks : new Set()),
      })),
    [blockCount],
  );

  useEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[0]?.contentRect.width ?? 960);
      if (next > 0) setWidth((current) => (Math.abs(current - next) > 8 ? next : current));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const layout = useMemo(() => layoutGraph(plan, { width, collapsed }), [plan, width, collapsed]);
  const nodesById = useMemo(() => new Map(layout.nodes.map((node) => [node.id, node])), [layout]);

  // Reuse colours only apply when the run trained this very architecture.
  const reuse = evaluation?.featureReuse ?? null;
  const reuseMatches =
    reuse !== null &&
    runConfig !== null &&
    sameArchitecture(runConfig, plan.config) &&
    reuse.blocks.length === plan.blocks.length;
  const reuseShown = reuseMatches ? reuse : null;
  const reuseRef = useRef(reuseShown);
  reuseRef.current = reuseShown;

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    performance.mark('graph-draw-start');
    const drawn = drawGraph(svg, layout, {
      block: (block, layers, isCollapsed) =>
        t(isCollapsed ? 'ui.graph.blockCollapsed' : 'ui.graph.block', { block: block + 1, layers }),
      node: (node) => describeNode(t, plan, node),
      short: (node) =>
        node.kind === 'transition'
          ? t('ui.graph.short.transition', { block: node.block + 1 })
          : t(node.kind === 'stem' ? 'ui.graph.short.stem' : 'ui.graph.short.classifier'),
      toggle: (block, isCollapsed) =>
        t(isCollapsed ? 'ui.graph.expand' : 'ui.graph.collapse', { block: block + 1 }),
    });
    drawnRef.current = drawn;
    // The reuse colours are read through a ref: a new epoch recolours edges below without a full redraw.
    colourByReuse(drawn, reuseRef.current);
    performance.mark('graph-draw-end');
    performance.measure('graph-draw', 'graph-draw-start', 'graph-draw-end');
    svg.setAttribute('data-draw-ms', drawn.drawMs.toFixed(1));
  }, [layout, plan, t]);

  useEffect(() => {
    if (drawnRef.current) colourByReuse(drawnRef.current, reuseShown);
  }, [reuseShown]);

  useLayoutEffect(() => {
    const svg = svgRef.current;
    if (svg && drawnRef.current)
      highlightNode(svg, drawnRef.current, focused && nodesById.has(focused) ? focused : null);
  }, [focused, nodesById]);

  const toggleBlock = useCallback(
    (block: number) => {
      setCollapsed((current) => {
        const next = new Set(current);
        if (next.has(block)) next.delete(block);
        else next.add(block);
        return next;
      });
    },
    [setCollapsed],
  );

  const onPointer = (event: React.PointerEvent<SVGSVGElement>) => {
    const node = (event.target as Element).closest('[data-node]');
    setFocused(node ? node.getAttribute('data-node') : null);
  };

  const onKeyDown = (event: React.KeyboardEvent<SVGSVGElement>) => {
    const target = event.target as Element;
    const toggle = target.closest('[data-block].graph-toggle');
    if (toggle && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      toggleBlock(Number(toggle.getAttribute('data-block')));
      return;
    }
    const nodeElement = target.closest('[data-node]');
    if (!nodeElement) return;
    const index = layout.nodes.findIndex(
      (node) => node.id === nodeElement.getAttribute('data-node'),
    );
    let next = index;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown')
      next = Math.min(index + 1, layout.nodes.length - 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = Math.max(index - 1, 0);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = layout.nodes.length - 1;
    else if (event.key === 'Escape') {
      setFocused(null);
      return;
    } else return;
    event.preventDefault();
    const nextNode = layout.nodes[next];
    const element =
      nextNode && svgRef.current?.querySelector<SVGGElement>(`[data-node="${nextNode.id}"]`);
    if (!element) return;
    nodeElement.setAttribute('tabindex', '-1');
    element.setAttribute('tabindex', '0');
    element.focus();
  };

  const focusedNode = focused ? nodesById.get(focused) : undefined;
  const edgesIn = focused ? (drawnRef.current?.inputs.get(focused)?.length ?? 0) : 0;
  const edgesOut = focused ? (drawnRef.current?.outputs.get(focused)?.length ?? 0) : 0;

  return (
    <section className="card card--wide" aria-labelledby="graph-heading" data-testid="graph-panel">
      <div className="card__header">
        <h2 id="graph-heading">{t('ui.graph.heading')}</h2>
        <div className="button-row">
          <button
            type="button"
            className="button button--quiet"
            data-testid="graph-collapse-all"
            onClick={() => setCollapsed(() => new Set(plan.blocks.map((block) => block.index)))}
          >
            {t('ui.graph.collapseAll')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            data-testid="graph-expand-all"
            onClick={() => setCollapsed(() => new Set())}
          >
            {t('ui.graph.expandAll')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            data-testid="graph-export-svg"
            onClick={() => svgRef.current && exportSvg(svgRef.current, 'densenet-graph.svg')}
          >
            {t('ui.graph.exportSvg')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            data-testid="graph-export-png"
            onClick={() => svgRef.current && void exportPng(svgRef.current, 'densenet-graph.png')}
          >
            {t('ui.graph.exportPng')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            aria-pressed={showTable}
            data-testid="graph-table-toggle"
            onClick={() => setShowTable((value) => !value)}
          >
            {t('ui.graph.tableView')}
          </button>
        </div>
      </div>
      <p className="card__subtitle">
        {t('ui.graph.summary', { edges: layout.planEdgeCount, blocks: plan.blocks.length })}{' '}
        <span className="legend">
          <span className="legend__swatch legend__swatch--input" /> {t('ui.graph.legend.inputs')}
          <span className="legend__swatch legend__swatch--output" /> {t('ui.graph.legend.outputs')}
          <span className="legend__swatch legend__swatch--exit" /> {t('ui.graph.legend.exits')}
        </span>
      </p>

      <div className="graph-layout">
        <div className="graph-scroll" ref={containerRef}>
          {/* biome-ignore lint/a11y/useSemanticElements: an <svg> cannot be a <fieldset>; role=group names the drawing for screen readers */}
          <svg
            ref={svgRef}
            className="graph"
            data-testid="graph"
            role="group"
            aria-label={t('ui.graph.ariaLabel', { edges: layout.planEdgeCount })}
            onPointerOver={onPointer}
            onPointerLeave={() => setFocused(null)}
            onFocus={(event) => {
              const node = (event.target as Element).closest('[data-node]');
              if (node) setFocused(node.getAttribute('data-node'));
            }}
            onKeyDown={onKeyDown}
            onClick={(event) => {
              const toggle = (event.target as Element).closest('.graph-toggle');
              if (toggle) toggleBlock(Number(toggle.getAttribute('data-block')));
            }}
          />
        </div>
        {reuseMatches && reuse && <ReuseHeatmap reuse={reuse} epoch={evaluation?.epoch ?? 0} />}
      </div>

      <div className="graph-details" aria-live="polite" data-testid="graph-details">
        {focusedNode ? (
          <>
            <p data-testid="graph-details-text">{describeNode(t, plan, focusedNode)}</p>
            <p className="run-progress__muted" data-testid="graph-details-edges">
              {t('ui.graph.detail.edges', { inputs: edgesIn, outputs: edgesOut })}
            </p>
          </>
        ) : (
          <p className="run-progress__muted">{t('ui.graph.detail.hint')}</p>
        )}
      </div>
      {!reuseMatches && evaluation && (
        <p className="field__hint">{t('ui.graph.reuseOtherArchitecture')}</p>
      )}
      {showTable && <LayerTable />}
    </section>
  );
}
