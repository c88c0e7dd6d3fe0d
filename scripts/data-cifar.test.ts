import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, md5OfFile, parseArgs, shortfallWarnings } from './data-cifar';
import { ensureFixtures, FIXTURE_FILES, fixturePath } from './make-fixtures';

let out: string;
const lines: string[] = [];
const log = (line: string) => lines.push(line);

beforeAll(() => {
  ensureFixtures();
  out = mkdtempSync(path.join(tmpdir(), 'data-cifar-'));
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('data:cifar', () => {
  it('rejects an archive whose MD5 is not the official one', async () => {
    lines.length = 0;
    const code = await main(['--from', fixturePath('cifar10Archive'), '--out', out], log);
    expect(code).toBe(1);
    expect(lines.join('\n')).toContain('expected c32a1d4ab5d03f1284b67883e8d87530');
  });

  it('writes a balanced subset and a manifest from an archive on disk', async () => {
    lines.length = 0;
    const md5 = await md5OfFile(fixturePath('cifar10Archive'));
    const code = await main(
      [
        '--from',
        fixturePath('cifar10Archive'),
        '--expect-md5',
        md5,
        '--train',
        '300',
        '--test',
        '50',
        '--out',
        out,
      ],
      log,
    );
    expect(code).toBe(0);

    const train = readFileSync(path.join(out, 'cifar10/train.bin'));
    const test = readFileSync(path.join(out, 'cifar10/test.bin'));
    expect(train.length).toBe(300 * 3073);
    expect(test.length).toBe(50 * 3073);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 300; i++) counts[train[i * 3073]!] += 1;
    expect(counts).toEqual(new Array(10).fill(30));

    // Every written record is a record of the source, byte for byte.
    const source = readFileSync(path.join(process.cwd(), '../shared/data/cifar10/train.bin'));
    const records = new Set<string>();
    for (let i = 0; i < source.length / 3073; i++)
      records.add(source.subarray(i * 3073, (i + 1) * 3073).toString('base64'));
    for (let i = 0; i < 300; i++)
      expect(records.has(train.subarray(i * 3073, (i + 1) * 3073).toString('base64'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.entries).toEqual([
      expect.objectContaining({
        dataset: 'cifar10',
        train: 'cifar10/train.bin',
        test: 'cifar10/test.bin',
        names: { fine: 'cifar10/batches.meta.txt' },
        trainCount: 300,
        testCount: 50,
        sourceMd5: md5,
      }),
    ]);
    expect(readFileSync(path.join(out, 'cifar10/batches.meta.txt'), 'utf8')).toContain('airplane');
  });

  it('keeps both labels of CIFAR-100 records and adds to the manifest', async () => {
    const code = await main(
      [
        '--from',
        fixturePath('cifar100Archive'),
        '--dataset',
        'cifar100',
        '--skip-md5',
        '--train',
        '50',
        '--test',
        '10',
        '--out',
        out,
      ],
      log,
    );
    expect(code).toBe(0);
    const train = readFileSync(path.join(out, 'cifar100/train.bin'));
    expect(train.length % 3074).toBe(0);
    const source = readFileSync(path.join(process.cwd(), '../shared/data/cifar100/train.bin'));
    const records = new Set<string>();
    for (let i = 0; i < 100; i++)
      records.add(source.subarray(i * 3074, (i + 1) * 3074).toString('base64'));
    for (let i = 0; i < train.length / 3074; i++) {
      expect(records.has(train.subarray(i * 3074, (i + 1) * 3074).toString('base64'))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.entries.map((entry: { dataset: string }) => entry.dataset).sort()).toEqual([
      'cifar10',
      'cifar100',
    ]);
    expect(
      manifest.entries.find((entry: { dataset: string }) => entry.dataset === 'cifar100').names,
    ).toEqual({
      fine: 'cifar100/fine_label_names.txt',
      coarse: 'cifar100/coarse_label_names.txt',
    });
  });

  it('reports a truncated archive', async () => {
    lines.length = 0;
    const code = await main(
      ['--from', fixturePath('truncatedArchive'), '--skip-md5', '--out', out],
      log,
    );
    expect(code).toBe(1);
    // The English message from the catalogue, not the raw code.
    expect(lines.at(-1)).toBe(
      `error: The archive ${FIXTURE_FILES.truncatedArchive} ends too early: it is truncated. Download it again.`,
    );
    expect(lines.at(-1)).not.toContain('data.error');
  });

  it('reports a misnamed gzip archive', async () => {
    lines.length = 0;
    const fake = path.join(out, 'fake.tar.gz');
    writeFileSync(fake, randomBytes(300 * 1024));
    const code = await main(['--from', fake, '--skip-md5', '--out', out], log);
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(
      /^error: fake\.tar\.gz is named like a gzip archive but is not one \(or is damaged\)/,
    );
  });

  it('warns about a short archive', async () => {
    lines.length = 0;
    const code = await main(
      [
        '--from',
        fixturePath('cifar10Archive'),
        '--skip-md5',
        '--train',
        '5000',
        '--test',
        '2000',
        '--out',
        path.join(out, 'short'),
      ],
      log,
    );
    expect(code).toBe(0);
    // The fixture archive holds the 4,000 + 1,000 records of ../shared/data/cifar10.
    const perClass = (name: string) => {
      const bytes = readFileSync(path.join(out, 'short/cifar10', name));
      const counts = new Array(10).fill(0);
      for (let i = 0; i < bytes.length / 3073; i++) counts[bytes[i * 3073]!] += 1;
      return counts.join(' ');
    };
    const warnings = lines.filter((line) => line.startsWith('warning:'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^warning: requested 5000 train images but the archive contains only 4000\. Wrote 4000 \(per class: /,
    );
    expect(warnings[0]).toContain(`per class: ${perClass('train.bin')}`);
    expect(warnings[1]).toMatch(
      /^warning: requested 2000 test images but the archive contains only 1000\. Wrote 1000 \(per class: /,
    );
    expect(warnings[1]).toContain(`per class: ${perClass('test.bin')}`);
  });

  it('words shortfall warnings per split', () => {
    expect(
      shortfallWarnings({ trainCounts: [3, 3], testCounts: [1, 1] }, { train: 6, test: 2 }),
    ).toEqual([]);
    expect(
      shortfallWarnings({ trainCounts: [3, 2], testCounts: [1, 1] }, { train: 6, test: 2 }),
    ).toEqual([
      'warning: requested 6 train images but the archive contains only 5. Wrote 5 (per class: 3 2, uneven).',
    ]);
  });

  it('rejects bad options', () => {
    expect(() => parseArgs(['--train', '0'])).toThrow(
      '--train must be a whole number from 1 to 50000, got 0',
    );
    expect(() => parseArgs(['--dataset', 'mnist'])).toThrow(
      '--dataset must be cifar10 or cifar100',
    );
    expect(() => parseArgs(['--expect-md5', 'xyz'])).toThrow('--expect-md5 must be 32 hex digits');
    expect(() => parseArgs(['--bogus'])).toThrow('unknown option --bogus');
  });
});
