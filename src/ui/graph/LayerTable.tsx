// The graph as a table: one row per layer of the plan, for screen readers and
// for reading exact numbers.

import { useAppStore } from '../../state/store';
import { useFormat, useT } from '../i18n';

export function LayerTable() {
  const t = useT();
  const format = useFormat();
  const plan = useAppStore((state) => state.plan);
  return (
    <div className="table-scroll" data-testid="layer-table">
      <table className="table table--compact">
        <caption>{t('ui.layers.caption', { count: plan.layers.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ui.layers.layer')}</th>
            <th scope="col">{t('ui.layers.kind')}</th>
            <th scope="col">{t('ui.layers.block')}</th>
            <th scope="col">{t('ui.layers.inChannels')}</th>
            <th scope="col">{t('ui.layers.outChannels')}</th>
            <th scope="col">{t('ui.layers.size')}</th>
            <th scope="col">{t('ui.layers.params')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.layers.map((layer) => (
            <tr key={layer.id} data-testid="layer-row">
              <th scope="row">{layer.id}</th>
              <td>{t(`ui.layers.kind.${layer.kind}`)}</td>
              <td>{layer.block >= 0 ? layer.block + 1 : '–'}</td>
              <td>{format(layer.inChannels)}</td>
              <td>{format(layer.outChannels)}</td>
              <td>
                {layer.inSize}→{layer.outSize}
              </td>
              <td>{format(layer.trainableParams)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
