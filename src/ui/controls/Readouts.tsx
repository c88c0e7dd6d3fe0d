// Live numbers of the last valid network: parameters, FLOPs, activation memory
// for the chosen batch, and connections per block with ℓ(ℓ+1)/2.

import { countConnections } from '../../densenet/plan';
import { blockConnections, deviceMemoryBudget, memoryFor } from '../../state/architecture';
import { useAppStore } from '../../state/store';
import { formatBytes, formatCompact, useFormat, useT } from '../i18n';

export function useMemoryEstimate() {
  const plan = useAppStore((state) => state.plan);
  const batchSize = useAppStore((state) => state.settings.batchSize);
  const memory = memoryFor(plan, batchSize);
  const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  const budget = deviceMemoryBudget(deviceMemory);
  return { memory, budget, overBudget: memory.naiveBytes > budget };
}

export function Readouts() {
  const t = useT();
  const format = useFormat();
  const language = useAppStore((state) => state.language);
  const plan = useAppStore((state) => state.plan);
  const batchSize = useAppStore((state) => state.settings.batchSize);
  const { memory, budget, overBudget } = useMemoryEstimate();
  const connections = countConnections(plan);

  return (
    <section className="card" aria-labelledby="readouts-heading" data-testid="readouts">
      <h2 id="readouts-heading">{t('ui.readouts.heading')}</h2>
      <p className="card__subtitle" data-testid="readout-architecture">
        {t('ui.readouts.architecture', {
          depth: plan.depth,
          k: plan.config.growthRate,
          blocks: plan.blocks.map((block) => block.layers).join('-'),
          k0: plan.initialChannels,
        })}
      </p>
      <dl className="stats">
        <div className="stat">
          <dt>{t('ui.readouts.trainableParams')}</dt>
          <dd data-testid="readout-trainable" data-value={plan.trainableParams}>
            {format(plan.trainableParams)}
            <span className="stat__compact">
              {' '}
              ({formatCompact(plan.trainableParams, language)})
            </span>
          </dd>
        </div>
        <div className="stat">
          <dt>{t('ui.readouts.totalParams')}</dt>
          <dd data-testid="readout-total" data-value={plan.totalParams}>
            {format(plan.totalParams)}
          </dd>
        </div>
        <div className="stat">
          <dt>{t('ui.readouts.flops', { size: plan.config.inputSize })}</dt>
          <dd data-testid="readout-flops" data-value={plan.flopsPerImage}>
            {formatCompact(plan.flopsPerImage, language)}
          </dd>
        </div>
        <div className="stat">
          <dt>{t('ui.readouts.memory', { batch: batchSize })}</dt>
          <dd data-testid="readout-memory">
            <span data-testid="readout-memory-naive" data-value={memory.naiveBytes}>
              {t('ui.readouts.memoryNaive', { bytes: formatBytes(memory.naiveBytes, format) })}
            </span>
            <br />
            <span data-testid="readout-memory-shared" data-value={memory.sharedBytes}>
              {t('ui.readouts.memoryShared', { bytes: formatBytes(memory.sharedBytes, format) })}
            </span>
          </dd>
        </div>
      </dl>

      <h3 className="subheading">{t('ui.readouts.connections')}</h3>
      <table className="table table--compact" data-testid="connections-table">
        <caption className="visually-hidden">{t('ui.readouts.connectionsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ui.readouts.block')}</th>
            <th scope="col">ℓ</th>
            <th scope="col">ℓ(ℓ+1)/2</th>
            <th scope="col">{t('ui.readouts.exitConnections')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.blocks.map((block, index) => (
            <tr key={block.index}>
              <th scope="row">{block.index + 1}</th>
              <td>{block.layers}</td>
              <td data-testid="block-connections">
                {block.layers}·{block.layers + 1}/2 = {format(blockConnections(block.layers))}
              </td>
              <td>{format(connections.exitPerBlock[index] ?? 0)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('ui.readouts.total')}</th>
            <td>{format(plan.blocks.reduce((sum, block) => sum + block.layers, 0))}</td>
            <td data-testid="readout-connections" data-value={connections.total}>
              {format(connections.total)}
            </td>
            <td>{format(connections.exitTotal)}</td>
          </tr>
        </tfoot>
      </table>

      {overBudget && (
        <p className="notice notice--warning" role="alert" data-testid="memory-warning">
          {t('ui.readouts.memoryWarning', {
            bytes: formatBytes(memory.naiveBytes, format),
            budget: formatBytes(budget, format),
            batch: batchSize,
          })}
        </p>
      )}
    </section>
  );
}
