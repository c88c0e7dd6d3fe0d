// Which explanation of the teaching panel belongs to which control, so that
// editing a control opens the section that explains it.

import type { ControlId } from './teacher';

export type TeachingTopic =
  | 'connectivity'
  | 'composite'
  | 'growth'
  | 'transition'
  | 'bottleneck'
  | 'compression'
  | 'bc'
  | 'results';

const TOPIC_OF_CONTROL: Partial<Record<ControlId, TeachingTopic>> = {
  preset: 'results',
  layout: 'transition',
  growthRate: 'growth',
  depth: 'connectivity',
  blockLayers: 'connectivity',
  bottleneck: 'bottleneck',
  compression: 'compression',
  initialChannels: 'growth',
};

export function topicForControl(control: ControlId): TeachingTopic | null {
  return TOPIC_OF_CONTROL[control] ?? null;
}
