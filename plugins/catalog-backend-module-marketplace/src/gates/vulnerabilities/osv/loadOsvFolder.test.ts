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
      { file: 'big.json', error: 'is 2000 bytes, more than the limit of 1000' },
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
});
