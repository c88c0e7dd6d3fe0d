// Failures of the data loaders that the user can act on. Each carries a code
// that keys a message in src/i18n/messages/data.ts and the parameters that
// message names (file, size, limit, status...), so the UI can word it in the
// reader's language.

import type { UserFacingError } from '../training/protocol';

export type DataErrorCode =
  | 'data.error.emptyFile'
  | 'data.error.recordSize'
  | 'data.error.recordSizeOtherDataset'
  | 'data.error.labelRange'
  | 'data.error.tooLarge'
  | 'data.error.unknownFormat'
  | 'data.error.notGzip'
  | 'data.error.unsupportedFile'
  | 'data.error.truncatedArchive'
  | 'data.error.corruptArchive'
  | 'data.error.archiveMissingBatches'
  | 'data.error.noTrainFile'
  | 'data.error.noTestFile'
  | 'data.error.notParquet'
  | 'data.error.corruptParquet'
  | 'data.error.parquetColumns'
  | 'data.error.invalidImage'
  | 'data.error.network'
  | 'data.error.cors'
  | 'data.error.offline'
  | 'data.error.httpClient'
  | 'data.error.rangeNotSatisfiable'
  | 'data.error.httpServer'
  | 'data.error.timeout'
  | 'data.error.invalidUrl'
  | 'data.error.invalidSize'
  | 'data.error.invalidSeed'
  | 'data.error.cacheQuota'
  | 'data.error.cacheUnavailable'
  | 'data.error.cacheMissing'
  | 'data.error.cacheFailed'
  | 'data.error.unexpected';

/** An error shown to the user, translated from `code` and `params`. */
export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly params: Record<string, string | number>;

  constructor(code: DataErrorCode, params: Record<string, string | number> = {}) {
    super(`${code} ${JSON.stringify(params)}`);
    this.name = 'DataError';
    this.code = code;
    this.params = params;
  }

  toUserFacing(): UserFacingError {
    return { code: this.code, params: { ...this.params } };
  }
}

/** Error thrown when the caller's AbortSignal cancels a load. */
export class LoadCancelledError extends Error {
  constructor() {
    super('Loading was cancelled');
    this.name = 'LoadCancelledError';
  }
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LoadCancelledError();
}

/** Converts any thrown value into the error shown to the user. */
export function toUserFacingError(error: unknown): UserFacingError {
  if (error instanceof DataError) return error.toUserFacing();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'data.error.unexpected', params: { message } };
}
