import { describe, expect, it } from 'vitest';
import { classifyError, classifyGpuError } from './failures';

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

describe('classifyGpuError', () => {
  it('reads a GPUOutOfMemoryError as out of memory at the run batch size', () => {
    expect(
      classifyGpuError(
        { name: 'GPUOutOfMemoryError', message: 'Allocation failed' },
        { batchSize: 64 },
      ),
    ).toEqual({
      code: 'run.outOfMemory',
      params: { backend: 'webgpu', batchSize: 64, detail: 'Allocation failed' },
    });
  });

  it('reads a buffer above the device limits as out of memory', () => {
    // Chromium's message for a TF.js tensor one element above SwiftShader's 1 GiB maxBufferSize.
    const tooLarge = classifyGpuError(
      {
        name: 'GPUValidationError',
        message:
          'Buffer size (1073741828) exceeds the max buffer size limit (1073741824).\n - While calling [Device].CreateBuffer([BufferDescriptor]).\n',
      },
      { batchSize: 512 },
    );
    expect(tooLarge).toEqual({
      code: 'run.outOfMemory',
      params: {
        backend: 'webgpu',
        batchSize: 512,
        detail: 'Buffer size (1073741828) exceeds the max buffer size limit (1073741824).',
      },
    });
    expect(
      classifyGpuError(
        {
          name: 'GPUValidationError',
          message:
            'Binding size (2147483648) of [Buffer] is larger than the maximum binding size (1073741824).',
        },
        { batchSize: 512 },
      ).code,
    ).toBe('run.outOfMemory');
  });

  it('fails the run with the first line of any other device error', () => {
    expect(
      classifyGpuError(
        {
          name: 'GPUValidationError',
          message: '[Invalid CommandBuffer] is invalid.\n - While calling [Queue].Submit()',
        },
        { batchSize: 8 },
      ),
    ).toEqual({
      code: 'run.failed',
      params: {
        backend: 'webgpu',
        detail: 'GPUValidationError: [Invalid CommandBuffer] is invalid.',
      },
    });
    expect(
      classifyGpuError(
        { name: 'GPUInternalError', message: 'shader too complex' },
        { batchSize: 8 },
      ).code,
    ).toBe('run.failed');
  });
});
