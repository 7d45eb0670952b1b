import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADVISORIES_DIR } from '../../../__testUtils__/fixtures';
import { loadOsvFolder } from './loadOsvFolder';

describe('loadOsvFolder', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'osv-folder-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads the 34 fixture advisories without errors', async () => {
    const { advisories, errors } = await loadOsvFolder({ dir: ADVISORIES_DIR });
    expect(errors).toEqual([]);
    expect(advisories).toHaveLength(34);
    expect(advisories.map(a => a.id)).toContain('GHSA-5mrr-rgp6-x4gr');
  });

  it('skips and reports broken files, naming each and its problem', async () => {
    fs.copyFileSync(
      path.join(ADVISORIES_DIR, 'GHSA-jf85-cpcp-j695.json'),
      path.join(dir, 'GHSA-jf85-cpcp-j695.json'),
    );
    fs.writeFileSync(path.join(dir, 'not-json.json'), '{ "id": "GHSA-x", ');
    fs.writeFileSync(
      path.join(dir, 'no-modified.json'),
      JSON.stringify({ id: 'GHSA-y' }),
    );
    fs.writeFileSync(
      path.join(dir, 'two-keys.json'),
      JSON.stringify({
        id: 'GHSA-z',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'npm', name: 'a' },
            ranges: [
              { type: 'SEMVER', events: [{ introduced: '0', fixed: '1.0.0' }] },
            ],
          },
        ],
      }),
    );
    fs.writeFileSync(path.join(dir, 'array.json'), '[]');
    fs.writeFileSync(path.join(dir, 'README.md'), 'not an advisory, ignored');

    const { advisories, errors } = await loadOsvFolder({ dir });
    expect(advisories.map(a => a.id)).toEqual(['GHSA-jf85-cpcp-j695']);
    expect(errors).toEqual([
      {
        file: 'array.json',
        error: expect.stringContaining('the advisory must be object'),
      },
      {
        file: 'no-modified.json',
        error: expect.stringContaining("required property 'modified'"),
      },
      {
        file: 'not-json.json',
        error: expect.stringContaining('is not valid UTF-8 JSON'),
      },
      {
        file: 'two-keys.json',
        error:
          'is not an OSV advisory the gate can use: /affected/0/ranges/0/events/0 must have exactly one of introduced, fixed, last_affected, limit',
      },
    ]);
  });

  it('skips files over the size limit and refuses folders over the count limit', async () => {
    fs.writeFileSync(path.join(dir, 'big.json'), ' '.repeat(2000));
    fs.writeFileSync(path.join(dir, 'small.json'), '{}');
    const result = await loadOsvFolder({
      dir,
      limits: { maxEntryBytes: 1000 },
    });
    expect(result.errors).toEqual([
      {
        file: 'big.json',
        error:
          'is 2000 bytes, more than the limit of 1000 (marketplace.gates.vulnerabilities.limits.maxEntryBytes)',
      },
      {
        file: 'small.json',
        error: expect.stringContaining("required property 'id'"),
      },
    ]);
    await expect(
      loadOsvFolder({ dir, limits: { maxEntries: 1 } }),
    ).rejects.toThrow('holds 2 files, more than the limit of 1');
    await expect(
      loadOsvFolder({ dir, limits: { maxTotalBytes: 1500 } }),
    ).rejects.toThrow('more than the limit of 1500 bytes');
  });

  // Each limit: at it the folder loads; one over, it is refused (or the file skipped)
  // with an error naming the limit and its key.
  describe('limits, at and just over', () => {
    const KEY = 'marketplace.gates.vulnerabilities.limits';
    const NAMES = [
      'GHSA-8hfj-j24r-96c4.json',
      'GHSA-jf85-cpcp-j695.json',
      'GHSA-5mrr-rgp6-x4gr.json',
    ];
    const size = (name: string) => fs.statSync(path.join(dir, name)).size;
    beforeEach(() => {
      for (const name of NAMES) {
        fs.copyFileSync(path.join(ADVISORIES_DIR, name), path.join(dir, name));
      }
    });

    it('maxEntries: 3 files load at 3 and are refused at 2', async () => {
      const atLimit = await loadOsvFolder({ dir, limits: { maxEntries: 3 } });
      expect(atLimit.advisories).toHaveLength(3);
      await expect(
        loadOsvFolder({ dir, limits: { maxEntries: 2 } }),
      ).rejects.toThrow(
        `The advisory folder ${dir} holds 3 files, more than the limit of 2 (${KEY}.maxEntries)`,
      );
    });

    it('maxEntryBytes: the largest file loads at its size and is skipped, named, one byte below', async () => {
      const largest = NAMES.reduce((a, b) => (size(a) >= size(b) ? a : b));
      const atLimit = await loadOsvFolder({
        dir,
        limits: { maxEntryBytes: size(largest) },
      });
      expect(atLimit.errors).toEqual([]);
      expect(atLimit.advisories).toHaveLength(3);
      const over = await loadOsvFolder({
        dir,
        limits: { maxEntryBytes: size(largest) - 1 },
      });
      expect(over.errors).toEqual([
        {
          file: largest,
          error: `is ${size(largest)} bytes, more than the limit of ${
            size(largest) - 1
          } (${KEY}.maxEntryBytes)`,
        },
      ]);
      expect(over.advisories).toHaveLength(2);
    });

    it('maxTotalBytes: files adding up to exactly the limit load, one byte less refuses the folder', async () => {
      const total = NAMES.map(size).reduce((a, b) => a + b, 0);
      const atLimit = await loadOsvFolder({
        dir,
        limits: { maxTotalBytes: total },
      });
      expect(atLimit.advisories).toHaveLength(3);
      await expect(
        loadOsvFolder({ dir, limits: { maxTotalBytes: total - 1 } }),
      ).rejects.toThrow(
        `The advisory folder ${dir} holds more than the limit of ${
          total - 1
        } bytes (${KEY}.maxTotalBytes)`,
      );
    });

    it('maxDepth: an advisory exactly maxDepth deep loads; one level deeper is skipped, named', async () => {
      // root, affected, affected[0], ranges, ranges[0], events, events[0]
      const atLimit = await loadOsvFolder({ dir, limits: { maxDepth: 7 } });
      expect(atLimit.errors).toEqual([]);
      expect(atLimit.advisories).toHaveLength(3);
      const over = await loadOsvFolder({ dir, limits: { maxDepth: 6 } });
      expect(over.advisories).toEqual([]);
      expect(over.errors).toEqual(
        [...NAMES].sort().map(file => ({
          file,
          error: `nests objects and arrays deeper than the limit of 6 levels (${KEY}.maxDepth)`,
        })),
      );
    });

    it('maxDepth: a 100,000 levels deep file is skipped by the default limit, the others load', async () => {
      fs.writeFileSync(
        path.join(dir, 'DEEP.json'),
        `{"id":"DEEP","modified":"x","aliases":${'['.repeat(
          100_000,
        )}${']'.repeat(100_000)}}`,
      );
      const { advisories, errors } = await loadOsvFolder({ dir });
      expect(advisories).toHaveLength(3);
      expect(errors).toEqual([
        {
          file: 'DEEP.json',
          error: `nests objects and arrays deeper than the limit of 64 levels (${KEY}.maxDepth)`,
        },
      ]);
    });
  });
});
