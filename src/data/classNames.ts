// Class names of CIFAR-10 and CIFAR-100, in label order, as listed in the
// official archives' batches.meta.txt, fine_label_names.txt and
// coarse_label_names.txt. They are used when a source carries no names file.

import type { DatasetName, LabelMode } from '../training/protocol';

export const CIFAR10_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

export const CIFAR100_FINE_NAMES = [
  'apple',
  'aquarium_fish',
  'baby',
  'bear',
  'beaver',
  'bed',
  'bee',
  'beetle',
  'bicycle',
  'bottle',
  'bowl',
  'boy',
  'bridge',
  'bus',
  'butterfly',
  'camel',
  'can',
  'castle',
  'caterpillar',
  'cattle',
  'chair',
  'chimpanzee',
  'clock',
  'cloud',
  'cockroach',
  'couch',
  'crab',
  'crocodile',
  'cup',
  'dinosaur',
  'dolphin',
  'elephant',
  'flatfish',
  'forest',
  'fox',
  'girl',
  'hamster',
  'house',
  'kangaroo',
  'keyboard',
  'lamp',
  'lawn_mower',
  'leopard',
  'lion',
  'lizard',
  'lobster',
  'man',
  'maple_tree',
  'motorcycle',
  'mountain',
  'mouse',
  'mushroom',
  'oak_tree',
  'orange',
  'orchid',
  'otter',
  'palm_tree',
  'pear',
  'pickup_truck',
  'pine_tree',
  'plain',
  'plate',
  'poppy',
  'porcupine',
  'possum',
  'rabbit',
  'raccoon',
  'ray',
  'road',
  'rocket',
  'rose',
  'sea',
  'seal',
  'shark',
  'shrew',
  'skunk',
  'skyscraper',
  'snail',
  'snake',
  'spider',
  'squirrel',
  'streetcar',
  'sunflower',
  'sweet_pepper',
  'table',
  'tank',
  'telephone',
  'television',
  'tiger',
  'tractor',
  'train',
  'trout',
  'tulip',
  'turtle',
  'wardrobe',
  'whale',
  'willow_tree',
  'wolf',
  'woman',
  'worm',
];

export const CIFAR100_COARSE_NAMES = [
  'aquatic_mammals',
  'fish',
  'flowers',
  'food_containers',
  'fruit_and_vegetables',
  'household_electrical_devices',
  'household_furniture',
  'insects',
  'large_carnivores',
  'large_man-made_outdoor_things',
  'large_natural_outdoor_scenes',
  'large_omnivores_and_herbivores',
  'medium_mammals',
  'non-insect_invertebrates',
  'people',
  'reptiles',
  'small_mammals',
  'trees',
  'vehicles_1',
  'vehicles_2',
];

export function defaultClassNames(dataset: DatasetName, labelMode: LabelMode): string[] {
  if (dataset === 'cifar10') return [...CIFAR10_NAMES];
  return labelMode === 'coarse' ? [...CIFAR100_COARSE_NAMES] : [...CIFAR100_FINE_NAMES];
}

/** Splits a names file into one name per line, trimming whitespace and skipping blank lines. */
export function parseClassNames(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * Returns the names from `text` when it lists exactly `expected` names, else
 * the defaults. A names file of the wrong length is ignored, not fatal: the
 * labels, not the names, decide the classes.
 */
export function classNamesFromText(
  text: string | null,
  dataset: DatasetName,
  labelMode: LabelMode,
): string[] {
  const defaults = defaultClassNames(dataset, labelMode);
  if (text === null) return defaults;
  const names = parseClassNames(text);
  return names.length === defaults.length ? names : defaults;
}
