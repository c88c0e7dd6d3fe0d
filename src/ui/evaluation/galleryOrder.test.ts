import { describe, expect, it } from 'vitest';
import { galleryOrder } from './EvaluationPanel';

describe('galleryOrder', () => {
  it('puts misclassified images first, most confident first', () => {
    const ordered = galleryOrder([
      { index: 0, label: 1, predicted: 1, confidence: 0.99 },
      { index: 1, label: 2, predicted: 3, confidence: 0.4 },
      { index: 2, label: 4, predicted: 5, confidence: 0.9 },
      { index: 3, label: 6, predicted: 6, confidence: 0.5 },
    ]);
    expect(ordered.map((prediction) => prediction.index)).toEqual([2, 1, 0, 3]);
  });
});
