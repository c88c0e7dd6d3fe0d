// HTTP requests for remote CIFAR copies, with every failure turned into an
// error the user can act on: a network or CORS failure, a 4xx response (416
// separately), a 5xx response, or a timeout. Cancellation by the caller's
// AbortSignal is a LoadCancelledError, never an error message.

import { DataError, LoadCancelledError } from './errors';

/** Seconds without any bytes arriving before a request counts as timed out. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  method?: 'GET' | 'HEAD';
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * An in-flight request whose idle timer the body reader keeps alive. Call
 * `touch()` when bytes arrive and `done()` when finished with the response.
 */
export interface TrackedResponse {
  response: Response;
  touch(): void;
  done(): void;
  /** Turns an error thrown while reading the body into the matching DataError. */
  classify(error: unknown): unknown;
}

export function checkUrl(url: string): string {
  try {
    const base = typeof location !== 'undefined' ? location.href : undefined;
    const parsed = new URL(url, base);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new Error(parsed.protocol);
    return parsed.href;
  } catch {
    throw new DataError('data.error.invalidUrl', { url });
  }
}

/** Seconds the probe in `explainFetchFailure` may take. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Tells apart the causes of a rejected fetch where the browser allows it. A
 * CORS rejection and an unreachable host both reject with a TypeError, and
 * the page may not see which. An offline browser reports it in navigator.onLine.
 * A HEAD request in no-cors mode reaches a server that merely lacks CORS
 * headers (the response is opaque but arrives), so its success means CORS.
 * When it fails too, the cause stays unknown: under Cross-Origin-Embedder-Policy
 * a no-cors response without a Cross-Origin-Resource-Policy header is blocked.
 */
async function explainFetchFailure(
  url: string,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<unknown> {
  if (signal?.aborted) return new LoadCancelledError();
  if (typeof navigator !== 'undefined' && navigator.onLine === false) {
    return new DataError('data.error.offline', { url });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PROBE_TIMEOUT_MS);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort);
  try {
    await fetchImpl(url, {
      method: 'HEAD',
      mode: 'no-cors',
      cache: 'no-store',
      signal: controller.signal,
    });
    return new DataError('data.error.cors', { url });
  } catch {
    return signal?.aborted
      ? new LoadCancelledError()
      : new DataError('data.error.network', { url });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Sends a request and raises DataError for network failures, timeouts and 4xx/5xx responses. */
export async function request(url: string, options: RequestOptions = {}): Promise<TrackedResponse> {
  const fetchImpl = options.fetch ?? fetch;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, idleTimeoutMs);
  };
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort);
  const done = () => {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  };
  const classify = (error: unknown): unknown => {
    if (error instanceof DataError || error instanceof LoadCancelledError) return error;
    if (options.signal?.aborted) return new LoadCancelledError();
    if (timedOut)
      return new DataError('data.error.timeout', {
        url,
        seconds: Math.round(idleTimeoutMs / 1000),
      });
    return new DataError('data.error.network', { url });
  };

  if (options.signal?.aborted) throw new LoadCancelledError();
  touch();
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      signal: controller.signal,
      // A range response must not come from a cache entry for another range.
      cache: 'no-store',
    });
  } catch (error) {
    done();
    const classified = classify(error);
    if (classified instanceof DataError && classified.code === 'data.error.network') {
      throw await explainFetchFailure(url, fetchImpl, options.signal);
    }
    throw classified;
  }
  if (!response.ok) {
    done();
    response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status === 416) throw new DataError('data.error.rangeNotSatisfiable', { url });
    if (status >= 500) throw new DataError('data.error.httpServer', { url, status });
    throw new DataError('data.error.httpClient', { url, status });
  }
  return { response, touch, done, classify };
}

/** Reads a response body to the end, reporting each chunk's size to `onBytes`. */
export async function readBody(
  tracked: TrackedResponse,
  onBytes: (count: number) => void,
  onChunk?: (chunk: Uint8Array) => void,
): Promise<Uint8Array> {
  const body = tracked.response.body;
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    if (!body) return new Uint8Array(await tracked.response.arrayBuffer());
    const reader = body.getReader();
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      tracked.touch();
      total += value.length;
      onBytes(value.length);
      if (onChunk) onChunk(value);
      else parts.push(value);
    }
  } catch (error) {
    throw tracked.classify(error);
  } finally {
    tracked.done();
  }
  if (onChunk) return new Uint8Array(0);
  const out = new Uint8Array(total);
  let position = 0;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}
