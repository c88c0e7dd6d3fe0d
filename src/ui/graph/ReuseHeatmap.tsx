// Feature-reuse heatmap beside the graph, as in Figure 5 of Huang et al.
// (2017): for each block, the mean absolute weight that target layer ℓ
// (rows, plus the transition) puts on source s (columns), scaled per row.

import * as d3 from 'd3';
import { memo } from 'react';
import type { FeatureReuseMatrix } from '../../training/protocol';
import { useT } from '../i18n';

const CELL = 9;

/** Renders again only for a new matrix, epoch or language, not when the graph around it does. */
export const ReuseHeatmap = memo(function ReuseHeatmap({
  reuse,
  epoch,
}: {
  reuse: FeatureReuseMatrix;
  epoch: number;
}) {
  const t = useT();
  return (
    <figure className="heatmap" data-testid="reuse-heatmap" data-epoch={epoch}>
      <figcaption>{t('ui.graph.heatmap.caption', { epoch })}</figcaption>
      <div className="heatmap__blocks">
        {reuse.blocks.map((block) => {
          const rows = [...block.weights.slice(1), block.transition];
          const size = Math.max(rows.length, 1);
          return (
            <svg
              key={block.block}
              width={size * CELL + 4}
              height={size * CELL + 16}
              role="img"
              aria-label={t('ui.graph.heatmap.block', { block: block.block + 1 })}
              data-testid="reuse-heatmap-block"
            >
              <text x={0} y={10} className="heatmap__label">
                {t('ui.graph.heatmap.blockShort', { block: block.block + 1 })}
              </text>
              <g transform="translate(2,14)">
                {rows.map((row, rowIndex) => {
                  const finite = row.filter((value) => Number.isFinite(value));
                  const max = finite.length > 0 ? Math.max(...finite) : 0;
                  return row.map((value, source) => (
                    <rect
                      // Rows and columns are fixed positions of the matrix.
                      // biome-ignore lint/suspicious/noArrayIndexKey: matrix cells have no other identity
                      key={`${rowIndex}-${source}`}
                      x={source * CELL}
                      y={rowIndex * CELL}
                      width={CELL - 1}
                      height={CELL - 1}
                      fill={
                        Number.isFinite(value) && max > 0
                          ? d3.interpolateViridis(value / max)
                          : '#e5e7eb'
                      }
                    />
                  ));
                })}
              </g>
            </svg>
          );
        })}
      </div>
      <p className="field__hint">{t('ui.graph.heatmap.legend')}</p>
    </figure>
  );
});
