import { describe, expect, it } from 'vitest';
import { writeTar } from '../../scripts/make-fixtures';
import { DataError } from './errors';
import { looksLikeTar, type TarEntry, TarReader } from './tar';

function readAll(
  archive: Uint8Array,
  chunkSize: number,
): { name: string; type: string; data: number[] }[] {
  const entries: { name: string; type: string; data: number[] }[] = [];
  const reader = new TarReader('test.tar', {
    onEntry(entry: TarEntry) {
      entries.push({ name: entry.name, type: entry.type, data: [] });
      return true;
    },
    onData(_entry, chunk) {
      entries.at(-1)!.data.push(...chunk);
    },
    onEntryEnd() {},
  });
  for (let i = 0; i < archive.length; i += chunkSize)
    reader.push(archive.subarray(i, i + chunkSize));
  reader.finish();
  return entries;
}

function errorCode(action: () => unknown): string | null {
  try {
    action();
    return null;
  } catch (error) {
    if (error instanceof DataError) return error.code;
    throw error;
  }
}

const first = new Uint8Array(700).map((_, i) => i & 0xff);
const archive = writeTar([
  { name: 'dir/' },
  { name: 'dir/a.bin', data: first },
  { name: 'dir/empty.txt', data: new Uint8Array(0) },
  { name: 'dir/b.txt', data: new TextEncoder().encode('cat\ndog\n') },
]);

describe('TarReader', () => {
  it('reads entries whatever the chunk size', () => {
    for (const size of [1, 13, 511, 512, 513, 4096, archive.length]) {
      const entries = readAll(archive, size);
      expect(entries.map((e) => [e.name, e.type, e.data.length])).toEqual([
        ['dir/', '5', 0],
        ['dir/a.bin', '0', 700],
        ['dir/empty.txt', '0', 0],
        ['dir/b.txt', '0', 8],
      ]);
      expect(entries[1]!.data).toEqual([...first]);
    }
  });

  it('recognises a tar header', () => {
    expect(looksLikeTar(archive)).toBe(true);
    expect(looksLikeTar(new Uint8Array(1024).fill(7))).toBe(false);
  });

  it('rejects a header with a bad checksum as corrupt', () => {
    const broken = Uint8Array.from(archive);
    broken[512 + 3] = broken[512 + 3]! ^ 0xff; // the name of the second header
    expect(errorCode(() => readAll(broken, 4096))).toBe('data.error.corruptArchive');
  });

  it('rejects an archive cut inside an entry as truncated', () => {
    expect(errorCode(() => readAll(archive.subarray(0, 512 * 2 + 100), 4096))).toBe(
      'data.error.truncatedArchive',
    );
  });

  it('uses a GNU long name for the next entry', () => {
    const longName = `${'x'.repeat(120)}/data_batch_1.bin`;
    const nameBytes = new TextEncoder().encode(`${longName}\0`);
    const withLong = writeTar([
      { name: '././@LongLink', data: nameBytes },
      { name: 'short', data: new Uint8Array(3) },
    ]);
    withLong[156] = 'L'.charCodeAt(0);
    // Fix the checksum of the edited header.
    withLong.fill(32, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += withLong[i]!;
    withLong.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(readAll(withLong, 100).map((e) => e.name)).toEqual([longName]);
  });
});
