import { describe, expect, it } from 'vitest';
import { classifyError } from './failures';

const context = { backend: 'webgpu' as const, batchSize: 64 };

describe('classifyError', () => {
  it('recognises a lost device', () => {
    expect(classifyError(new Error('Device is lost'), context).code).toBe('run.deviceLost');
    expect(
      classifyError(new Error('WebGL context lost'), { ...context, backend: 'webgl' }).code,
    ).toBe('run.deviceLost');
  });

  it('recognises memory exhaustion and names the batch size', () => {
    const webgl = classifyError(
      new Error('Requested texture size [16384x16384] greater than WebGL maximum'),
      {
        backend: 'webgl',
        batchSize: 256,
      },
    );
    expect(webgl.code).toBe('run.outOfMemory');
    expect(webgl.params.batchSize).toBe(256);
    expect(classifyError(new RangeError('Array buffer allocation failed'), context).code).toBe(
      'run.outOfMemory',
    );
    expect(classifyError(new Error('Out of memory'), context).code).toBe('run.outOfMemory');
  });

  it('reports anything else with its message', () => {
    expect(classifyError(new Error('shape mismatch'), context)).toEqual({
      code: 'run.failed',
      params: { backend: 'webgpu', detail: 'shape mismatch' },
    });
    expect(classifyError('plain string', context).params.detail).toBe('plain string');
  });
});
