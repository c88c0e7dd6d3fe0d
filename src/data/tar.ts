// A streaming reader for POSIX ustar and GNU tar archives: headers are parsed
// as 512-byte blocks arrive, and entry contents are handed on chunk by chunk,
// so an archive is never held in memory whole. Supports regular files,
// directories, GNU long names ('L') and pax path records ('x').

import { DataError } from './errors';

const BLOCK = 512;

export interface TarEntry {
  name: string;
  size: number;
  /** '0' regular file, '5' directory, and so on (POSIX typeflag). */
  type: string;
}

export interface TarHandlers {
  /** Called for each entry before its data; return false to skip its contents. */
  onEntry(entry: TarEntry): boolean;
  onData(entry: TarEntry, chunk: Uint8Array): void;
  onEntryEnd(entry: TarEntry): void;
}

function readString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return new TextDecoder().decode(block.subarray(start, end));
}

function readOctal(block: Uint8Array, start: number, length: number): number {
  // GNU base-256 encoding for sizes of 8 GiB and more: high bit of the first byte set.
  if ((block[start]! & 0x80) !== 0) {
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  const text = readString(block, start, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return Number.NaN;
  return Number.parseInt(text, 8);
}

function checksumMatches(block: Uint8Array): boolean {
  const stored = readOctal(block, 148, 8);
  let unsigned = 0;
  for (let i = 0; i < BLOCK; i++) unsigned += i >= 148 && i < 156 ? 32 : block[i]!;
  return stored === unsigned;
}

function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** Returns true when `bytes` starts with a tar header whose checksum is valid. */
export function looksLikeTar(bytes: Uint8Array): boolean {
  return bytes.length >= BLOCK && !isZeroBlock(bytes.subarray(0, BLOCK)) && checksumMatches(bytes);
}

function parsePaxPath(data: Uint8Array): string | null {
  const text = new TextDecoder().decode(data);
  // Each record is "<length> <key>=<value>\n".
  for (const line of text.split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}

/**
 * Push-based tar parser. `file` names the archive in errors: a bad header
 * checksum is `data.error.corruptArchive`, and an archive that stops inside a
 * header or an entry is `data.error.truncatedArchive` (raised by `finish()`).
 */
export class TarReader {
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  private entry: TarEntry | null = null;
  private wanted = false;
  private remaining = 0;
  private padding = 0;
  private ended = false;
  private longName: string | null = null;
  private metaEntry: { kind: 'L' | 'x'; data: Uint8Array; fill: number } | null = null;
  entries = 0;

  constructor(
    private readonly file: string,
    private readonly handlers: TarHandlers,
  ) {}

  push(chunk: Uint8Array): void {
    let position = 0;
    while (position < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - position);
        this.deliver(chunk.subarray(position, position + take));
        this.remaining -= take;
        position += take;
        if (this.remaining === 0) this.endEntry();
        continue;
      }
      if (this.padding > 0) {
        const skip = Math.min(this.padding, chunk.length - position);
        this.padding -= skip;
        position += skip;
        continue;
      }
      const take = Math.min(BLOCK - this.headerFill, chunk.length - position);
      this.header.set(chunk.subarray(position, position + take), this.headerFill);
      this.headerFill += take;
      position += take;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.parseHeader();
      }
    }
  }

  /** Checks that the archive ended cleanly: after an entry's data, not inside it. */
  finish(): void {
    if (this.remaining > 0 || this.padding > 0 || this.headerFill > 0 || this.entries === 0) {
      throw new DataError('data.error.truncatedArchive', { file: this.file });
    }
  }

  private parseHeader(): void {
    const block = this.header;
    if (isZeroBlock(block)) {
      // Two zero blocks end the archive; one is enough to stop reading.
      this.ended = true;
      return;
    }
    if (!checksumMatches(block)) {
      throw new DataError('data.error.corruptArchive', { file: this.file });
    }
    const size = readOctal(block, 124, 12);
    if (!Number.isFinite(size))
      throw new DataError('data.error.corruptArchive', { file: this.file });
    const type = String.fromCharCode(block[156]! || 48);
    let name = readString(block, 0, 100);
    if (readString(block, 257, 5) === 'ustar') {
      const prefix = readString(block, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (this.longName !== null) {
      name = this.longName;
      this.longName = null;
    }
    this.entries++;
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'L' || type === 'x') {
      this.metaEntry = { kind: type, data: new Uint8Array(size), fill: 0 };
      this.entry = { name, size, type };
      this.wanted = false;
    } else if (type === 'g') {
      this.entry = { name, size, type };
      this.wanted = false;
    } else {
      this.entry = { name, size, type };
      this.wanted = this.handlers.onEntry(this.entry);
    }
    if (size === 0) this.endEntry();
  }

  private deliver(data: Uint8Array): void {
    if (this.metaEntry) {
      this.metaEntry.data.set(data, this.metaEntry.fill);
      this.metaEntry.fill += data.length;
    } else if (this.wanted && this.entry) {
      this.handlers.onData(this.entry, data);
    }
  }

  private endEntry(): void {
    if (this.metaEntry) {
      const { kind, data } = this.metaEntry;
      this.metaEntry = null;
      this.longName =
        kind === 'L' ? new TextDecoder().decode(data).replace(/\0+$/, '') : parsePaxPath(data);
    } else if (this.wanted && this.entry) {
      this.handlers.onEntryEnd(this.entry);
    }
    this.entry = null;
    this.wanted = false;
  }
}
