// Strings shared across the app shell. Each area of the app keeps its own
// catalogue file beside this one, with the same keys in `en` and `ko`.
export const en = {
  'app.title': 'DenseNet Playground',
  'app.tagline': 'Build a DenseNet, train it on CIFAR in your browser, and watch it learn.',
  'language.label': 'Language',
  'language.en': 'English',
  'language.ko': '한국어',
} as const;

export const ko: Record<keyof typeof en, string> = {
  'app.title': 'DenseNet 플레이그라운드',
  'app.tagline': '브라우저에서 DenseNet을 만들고 CIFAR로 학습시키며 배우는 과정을 지켜보세요.',
  'language.label': '언어',
  'language.en': 'English',
  'language.ko': '한국어',
};
