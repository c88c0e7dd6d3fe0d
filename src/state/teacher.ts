// Teacher options: controls a shared link hides or locks, so a class sees only
// what the lesson is about (for example `?lock=growthRate,depth&hide=backend`).

export const CONTROL_IDS = [
  'preset',
  'layout',
  'growthRate',
  'depth',
  'blockLayers',
  'bottleneck',
  'compression',
  'initialChannels',
  'dropRate',
  'recipe',
  'optimizer',
  'epochs',
  'batchSize',
  'learningRate',
  'augment',
  'seed',
  'backend',
  'dataset',
  'trainSize',
  'testSize',
  'teaching',
  'evaluation',
] as const;

export type ControlId = (typeof CONTROL_IDS)[number];

export interface TeacherOptions {
  locked: ControlId[];
  hidden: ControlId[];
}

export const NO_TEACHER_OPTIONS: TeacherOptions = { locked: [], hidden: [] };

export function isControlId(value: string): value is ControlId {
  return (CONTROL_IDS as readonly string[]).includes(value);
}
