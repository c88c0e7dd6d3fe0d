// Byte streams: reading a ReadableStream chunk by chunk with cancellation, and
// gunzip through the platform's DecompressionStream that tells a truncated
// archive from a corrupt one.

import { DataError, LoadCancelledError } from './errors';

/** Reads every chunk of `stream`, calling `onChunk`; stops with LoadCancelledError on abort. */
export async function forEachChunk(
  stream: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const reader = stream.getReader();
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  try {
    while (true) {
      if (signal?.aborted) throw new LoadCancelledError();
      const { done, value } = await reader.read();
      if (signal?.aborted) throw new LoadCancelledError();
      if (done) return;
      await onChunk(value);
    }
  } catch (error) {
    // Cancelling tells the producer (a file, a response, a decompressor) to stop.
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * Gunzips `input` chunk by chunk and passes the output to `onChunk`. The
 * decompressor raises one kind of error for both faults, so the write side
 * tells them apart: an error while a chunk is being written means bad
 * compressed data (`data.error.corruptArchive`); an error only when the input
 * closes means it ended early (`data.error.truncatedArchive`).
 */
export async function gunzipChunks(
  file: string,
  input: ReadableStream<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
  signal?: AbortSignal,
): Promise<void> {
  const decompressor = new DecompressionStream('gzip');
  const writer = decompressor.writable.getWriter();
  let fault: 'corrupt' | 'truncated' | null = null;
  let inputError: unknown = null;

  const writing = (async () => {
    try {
      await forEachChunk(
        input,
        async (chunk) => {
          await writer.ready;
          try {
            await writer.write(chunk as Uint8Array<ArrayBuffer>);
          } catch (error) {
            fault ??= 'corrupt';
            throw error;
          }
        },
        signal,
      );
      try {
        await writer.close();
      } catch (error) {
        fault ??= 'truncated';
        throw error;
      }
    } catch (error) {
      inputError = error;
      await writer.abort(error).catch(() => undefined);
    }
  })();

  try {
    await forEachChunk(decompressor.readable as ReadableStream<Uint8Array>, onChunk, signal);
  } catch (error) {
    await writing;
    if (signal?.aborted || inputError instanceof LoadCancelledError) throw new LoadCancelledError();
    if (error instanceof DataError) throw error;
    if (inputError instanceof DataError) throw inputError;
    if (fault === 'truncated') throw new DataError('data.error.truncatedArchive', { file });
    throw new DataError('data.error.corruptArchive', { file });
  }
  await writing;
  if (inputError instanceof LoadCancelledError) throw inputError;
  if (inputError !== null) throw new DataError('data.error.corruptArchive', { file });
}

/** Returns the first `count` bytes of a Blob, for format sniffing. */
export async function readHead(blob: Blob, count: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, count).arrayBuffer());
}
