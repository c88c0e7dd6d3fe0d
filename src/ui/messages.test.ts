import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogues } from '../i18n';

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('UI message keys', () => {
  it('exist in the catalogues for every literal key', () => {
    const missing: string[] = [];
    const root = path.resolve(__dirname);
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([^']+)'/g)) {
        if (!(match[1]! in catalogues.en))
          missing.push(`${path.relative(root, file)}: ${match[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('exist for every templated key the UI builds', () => {
    const templated = [
      ...['idle', 'building', 'training', 'paused', 'stopped', 'done', 'diverged', 'failed'].map(
        (state) => `ui.runState.${state}`,
      ),
      ...['auto', 'webgpu', 'webgl', 'wasm', 'cpu'].map(
        (backend) => `ui.training.backend.${backend}`,
      ),
      ...['paper', 'classroom'].flatMap((recipe) => [
        `ui.training.recipe.${recipe}`,
        `ui.training.recipe.${recipe}.hint`,
      ]),
      ...['sgd', 'adam'].map((optimizer) => `ui.training.optimizer.${optimizer}`),
      ...['loss', 'accuracy', 'learningRate'].flatMap((kind) => [
        `ui.curves.${kind}`,
        `ui.curves.${kind}.axis`,
      ]),
      ...['stem-conv', 'stem-pool', 'dense-layer', 'transition', 'classifier'].map(
        (kind) => `ui.layers.kind.${kind}`,
      ),
      ...[
        'connectivity',
        'composite',
        'growth',
        'transition',
        'bottleneck',
        'compression',
        'bc',
        'results',
      ].flatMap((topic) => [
        `teaching.${topic}.title`,
        `teaching.${topic}.body`,
        `teaching.${topic}.now`,
      ]),
    ];
    expect(templated.filter((key) => !(key in catalogues.en))).toEqual([]);
  });
});
