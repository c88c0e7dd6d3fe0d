// Explanations for a student meeting DenseNet for the first time, each tied
// to what is on screen: the numbers come from the current plan, and the
// section about the control being edited opens and is marked.

import { isDenseNetBC } from '../../densenet/config';
import { PRESETS, RESNET_REFERENCES } from '../../densenet/presets';
import { useAppStore } from '../../state/store';
import type { TeachingTopic } from '../../state/topics';
import { useControlAccess } from '../controls/fields';
import { useFormat, useT } from '../i18n';

export const TOPICS: readonly TeachingTopic[] = [
  'connectivity',
  'composite',
  'growth',
  'transition',
  'bottleneck',
  'compression',
  'bc',
  'results',
];

export function TeachingPanel() {
  const t = useT();
  const format = useFormat();
  const plan = useAppStore((state) => state.plan);
  const topic = useAppStore((state) => state.topic);
  const { hidden } = useControlAccess('teaching');
  if (hidden) return null;

  const config = plan.config;
  const k = config.growthRate;
  const first = plan.blocks[0]!;
  const lastLayer = first.layers;
  const layersInAll = plan.blocks.reduce((sum, block) => sum + block.layers, 0);
  const connections = plan.blocks.reduce((sum, block) => sum + block.edges.length, 0);
  const transitions = plan.blocks.slice(0, -1);
  const firstTransition = transitions[0];
  const bc = isDenseNetBC(config);
  const reference = PRESETS.find((preset) => preset.id === 'densenet-bc-100-k12');
  const resnet = RESNET_REFERENCES.find((entry) => entry.id === 'resnet-preact-1001');
  const millions = (value: number) => format(Math.round(value / 10_000) / 100);

  const params: Record<TeachingTopic, Record<string, string | number>> = {
    connectivity: {
      layers: layersInAll,
      connections,
      blockLayers: first.layers,
      blockConnections: first.edges.length,
    },
    composite: { k },
    growth: {
      k,
      k0: first.inChannels,
      layer: lastLayer,
      previous: lastLayer - 1,
      channels: first.inChannels + k * (lastLayer - 1),
      out: first.outChannels,
    },
    transition: firstTransition
      ? {
          m: firstTransition.outChannels,
          theta: config.compression,
          out: firstTransition.channelsAfter,
          size: firstTransition.size,
          half: Math.floor(firstTransition.size / 2),
        }
      : {
          m: first.outChannels,
          theta: config.compression,
          out: first.outChannels,
          size: first.size,
          half: first.size,
        },
    bottleneck: {
      k,
      width: config.bottleneckWidth * k,
      state: t(config.bottleneck ? 'ui.teach.on' : 'ui.teach.off'),
    },
    compression: {
      theta: config.compression,
      m: firstTransition?.outChannels ?? first.outChannels,
      out: firstTransition?.channelsAfter ?? first.outChannels,
    },
    bc: { state: t(bc ? 'ui.teach.bcYes' : 'ui.teach.bcNo') },
    results: {
      params: millions(plan.trainableParams),
      refParams: reference?.reportedParamsMillions ?? 0.8,
      refError: reference?.reportedErrors?.cifar10Plus ?? 4.51,
      resnetParams: resnet?.paramsMillions ?? 10.2,
      resnetError: resnet?.reportedErrors.cifar10Plus ?? 4.62,
    },
  };

  return (
    <section
      className="card teaching"
      aria-labelledby="teaching-heading"
      data-testid="teaching-panel"
    >
      <h2 id="teaching-heading">{t('ui.teach.heading')}</h2>
      <p className="card__subtitle">{t('ui.teach.intro')}</p>
      {TOPICS.map((name) => (
        <details
          key={name}
          open={topic === name || (topic === null && name === 'connectivity')}
          className={`teaching__topic${topic === name ? ' teaching__topic--current' : ''}`}
          data-testid={`teach-${name}`}
        >
          <summary>{t(`teaching.${name}.title`)}</summary>
          <p>{t(`teaching.${name}.body`, params[name])}</p>
          <p className="teaching__now" data-testid={`teach-${name}-now`}>
            {t(`teaching.${name}.now`, params[name])}
          </p>
          {name === 'connectivity' && <ConcatenationFigure />}
        </details>
      ))}
      <p className="field__hint">{t('ui.teach.source')}</p>
    </section>
  );
}

/** Side-by-side sketch: ResNet adds the shortcut, DenseNet concatenates it. */
function ConcatenationFigure() {
  const t = useT();
  return (
    <figure className="teaching__figure">
      <svg viewBox="0 0 360 120" width="100%" role="img" aria-label={t('teaching.figure.alt')}>
        <g transform="translate(10,10)">
          <text x="0" y="10" className="teaching__caption">
            ResNet
          </text>
          <rect x="0" y="30" width="40" height="60" className="teaching__maps" />
          <text x="95" y="64" textAnchor="middle" className="teaching__op">
            +
          </text>
          <rect
            x="60"
            y="30"
            width="16"
            height="60"
            className="teaching__maps teaching__maps--new"
          />
          <rect x="114" y="30" width="40" height="60" className="teaching__maps" />
        </g>
        <g transform="translate(190,10)">
          <text x="0" y="10" className="teaching__caption">
            DenseNet
          </text>
          <rect x="0" y="30" width="40" height="60" className="teaching__maps" />
          <rect
            x="40"
            y="30"
            width="16"
            height="60"
            className="teaching__maps teaching__maps--new"
          />
          <rect
            x="56"
            y="30"
            width="16"
            height="60"
            className="teaching__maps teaching__maps--new2"
          />
          <text x="90" y="64" textAnchor="middle" className="teaching__op">
            [ ]
          </text>
          <rect
            x="108"
            y="30"
            width="56"
            height="60"
            className="teaching__maps teaching__maps--concat"
          />
        </g>
      </svg>
      <figcaption>{t('teaching.figure.caption')}</figcaption>
    </figure>
  );
}
