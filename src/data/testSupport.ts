// Helpers shared by the data tests: the real subset beside the project, the
// generated fixtures, and a fetch that serves files from disk the way a static
// host or a CDN would (with or without range support, or failing).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureFixtures, FIXTURE_FILES, fixturePath } from '../../scripts/make-fixtures';

export const SHARED_DATA = path.resolve(process.cwd(), '../shared/data');

export function sharedFile(relative: string): File {
  return new File([readFileSync(path.join(SHARED_DATA, relative))], path.basename(relative));
}

export function fixtureFile(name: keyof typeof FIXTURE_FILES, as?: string): File {
  ensureFixtures();
  return new File([readFileSync(fixturePath(name))], as ?? FIXTURE_FILES[name]);
}

export function fixtureBytes(name: keyof typeof FIXTURE_FILES): Uint8Array {
  ensureFixtures();
  return new Uint8Array(readFileSync(fixturePath(name)));
}

/** Converts record `index` of a planar file to interleaved RGB, the way the loader must. */
export function expectedPixels(file: Uint8Array, recordBytes: number, index: number): Uint8Array {
  const offset = index * recordBytes + recordBytes - 3072;
  const out = new Uint8Array(3072);
  for (let p = 0; p < 1024; p++) {
    out[p * 3] = file[offset + p]!;
    out[p * 3 + 1] = file[offset + 1024 + p]!;
    out[p * 3 + 2] = file[offset + 2048 + p]!;
  }
  return out;
}

/** Maps each record's interleaved pixels (as a string key) to its index, to find loaded images in the source. */
export function indexRecords(file: Uint8Array, recordBytes: number): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < file.length / recordBytes; i++)
    map.set(Buffer.from(expectedPixels(file, recordBytes, i)).toString('base64'), i);
  return map;
}

export function imageKey(images: Uint8Array, index: number): string {
  return Buffer.from(images.subarray(index * 3072, (index + 1) * 3072)).toString('base64');
}

export type ServerMode = 'ranges' | 'ignore-ranges' | 'no-head';

export interface FakeServer {
  fetch: typeof fetch;
  /** Every request, as method, url and Range header. */
  requests: { method: string; url: string; range: string | null }[];
  bytesSent(): number;
}

/**
 * A fetch serving `files` (url -> bytes). In 'ranges' mode it answers a
 * `bytes=a-b` range with 206; in 'ignore-ranges' mode always with 200 and the
 * whole file; 'no-head' rejects HEAD with 405. Unknown URLs get 404.
 */
export function fakeServer(
  files: Record<string, Uint8Array>,
  mode: ServerMode = 'ranges',
): FakeServer {
  const requests: FakeServer['requests'] = [];
  let sent = 0;
  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    const range = headers.get('range');
    requests.push({ method, url, range });
    if (init?.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const body = files[url];
    if (!body) return new Response('not found', { status: 404 });
    if (method === 'HEAD') {
      if (mode === 'no-head') return new Response(null, { status: 405 });
      return new Response(null, {
        status: 200,
        headers: { 'content-length': String(body.length) },
      });
    }
    if (range && mode !== 'ignore-ranges') {
      const match = /^bytes=(\d+)-(\d+)$/.exec(range);
      if (!match) return new Response(null, { status: 416 });
      const start = Number(match[1]);
      const end = Math.min(Number(match[2]), body.length - 1);
      if (start >= body.length) return new Response(null, { status: 416 });
      const part = body.slice(start, end + 1);
      sent += part.length;
      return new Response(part, {
        status: 206,
        headers: {
          'content-length': String(part.length),
          'content-range': `bytes ${start}-${end}/${body.length}`,
        },
      });
    }
    sent += body.length;
    return new Response(body.slice(), {
      status: 200,
      headers: { 'content-length': String(body.length) },
    });
  };
  return { fetch: fakeFetch as typeof fetch, requests, bytesSent: () => sent };
}
