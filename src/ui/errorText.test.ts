import { describe, expect, it } from 'vitest';
import { catalogues, type MessageParams, translate } from '../i18n';
import { describeError, TECHNICAL_PARAMS } from './errorText';

const korean = (key: string, params?: MessageParams) => translate('ko', key, params);
const english = (key: string, params?: MessageParams) => translate('en', key, params);

/** Latin letters, which a Korean sentence quoting the browser's English would contain. */
const LATIN_WORD = /[A-Za-z]{3,}/;

describe('describeError', () => {
  it('keeps browser English out of the Korean sentence', () => {
    const error = {
      code: 'run.failed',
      params: { backend: 'webgl', detail: 'Failed to compile fragment shader.' },
    };
    const text = describeError(korean, error);
    expect(text.message).toBe(
      '오류로 학습이 멈췄습니다. 다른 백엔드나 더 작은 네트워크로 해 보세요.',
    );
    expect(text.message).not.toMatch(LATIN_WORD);
    expect(text.technicalDetail).toBe('기술 정보: Failed to compile fragment shader.');
  });

  it('labels the detail in English too', () => {
    const error = { code: 'run.deviceLost', params: { backend: 'webgpu', detail: 'destroyed' } };
    const text = describeError(english, error);
    expect(text.message).toMatch(/^The GPU device was lost, so training stopped\./);
    expect(text.technicalDetail).toBe('Technical detail: destroyed');
  });

  it('moves the worker failure details', () => {
    const error = { code: 'ui.error.workerFailed', params: { details: 'Uncaught RangeError' } };
    const text = describeError(korean, error);
    expect(text.message).not.toContain('RangeError');
    expect(text.technicalDetail).toBe('기술 정보: Uncaught RangeError');
  });

  it('moves a data error message', () => {
    const error = { code: 'data.error.cacheFailed', params: { message: 'QuotaExceededError' } };
    const text = describeError(korean, error);
    expect(text.message).toBe('브라우저 저장소 작업이 실패했습니다.');
    expect(text.technicalDetail).toBe('기술 정보: QuotaExceededError');
  });

  it('gives no detail line without raw text', () => {
    const error = { code: 'run.outOfMemory', params: { backend: 'webgpu', batchSize: 512 } };
    const text = describeError(korean, error);
    expect(text.message).toContain('512');
    expect(text.technicalDetail).toBeNull();
  });

  it('skips an empty detail', () => {
    const error = { code: 'backend.initFailed', params: { backend: 'wasm', detail: ' ' } };
    expect(describeError(english, error).technicalDetail).toBeNull();
  });

  it('shows the parameters of an unknown code as detail', () => {
    const error = { code: 'run.fromTheFuture', params: { detail: 'x', step: 3 } };
    const text = describeError(korean, error);
    expect(text.message).toBe('문제가 생겼습니다(run.fromTheFuture).');
    expect(text.technicalDetail).toBe('기술 정보: {"detail":"x","step":3}');
  });
});

describe('catalogue sentences', () => {
  it('use no technical parameter as a placeholder', () => {
    const inline: string[] = [];
    for (const language of ['en', 'ko'] as const) {
      for (const [key, text] of Object.entries(catalogues[language])) {
        if (key === 'ui.error.technicalDetail') continue;
        for (const name of TECHNICAL_PARAMS) {
          if (text.includes(`{${name}}`)) inline.push(`${language} ${key}: {${name}}`);
        }
      }
    }
    expect(inline).toEqual([]);
  });
});
