import { InputError } from '@backstage/errors';
import { zipSync, type Zippable } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { ADVISORIES_DIR } from '../../../__testUtils__/fixtures';
import { loadOsvFolder } from './loadOsvFolder';
import { OsvIndex } from './OsvIndex';
import { parseOsvZip } from './parseOsvZip';

function fixtureZip(extra: Zippable = {}): Buffer {
  const files: Zippable = {};
  for (const name of fs
    .readdirSync(ADVISORIES_DIR)
    .filter(n => n.endsWith('.json'))) {
    files[name] = fs.readFileSync(path.join(ADVISORIES_DIR, name));
  }
  return Buffer.from(zipSync({ ...files, ...extra }));
}

/** Overwrites the uncompressed size every central directory header declares. */
function lieAboutSizes(zip: Buffer, size: number): Buffer {
  const copy = Buffer.from(zip);
  for (let i = 0; i + 46 < copy.length; i++) {
    if (copy.readUInt32LE(i) === 0x02014b50) copy.writeUInt32LE(size, i + 24);
  }
  return copy;
}

describe('parseOsvZip', () => {
  it('reads an OSV all.zip like the folder, to the same index version', async () => {
    const zip = fixtureZip({
      'docs/': {},
      'README.txt': Buffer.from('ignored'),
    });
    const fromZip = await parseOsvZip({ data: zip });
    const fromFolder = await loadOsvFolder({ dir: ADVISORIES_DIR });
    expect(fromZip.errors).toEqual([]);
    expect(fromZip.advisories).toHaveLength(34);
    expect(OsvIndex.build(fromZip).version).toBe(
      OsvIndex.build(fromFolder).version,
    );
  });

  it('reads stored (uncompressed) entries too', async () => {
    const advisory = fs.readFileSync(
      path.join(ADVISORIES_DIR, 'GHSA-8hfj-j24r-96c4.json'),
    );
    const zip = Buffer.from(zipSync({ 'a.json': [advisory, { level: 0 }] }));
    const { advisories } = await parseOsvZip({ data: zip });
    expect(advisories.map(a => a.id)).toEqual(['GHSA-8hfj-j24r-96c4']);
  });

  it('skips and reports a malformed advisory, loading the rest', async () => {
    const zip = fixtureZip({
      'BROKEN-1.json': Buffer.from('{"id": "BROKEN-1", "modified": 7}'),
      'BROKEN-2.json': Buffer.from('not json'),
    });
    const { advisories, errors } = await parseOsvZip({ data: zip });
    expect(advisories).toHaveLength(34);
    expect(errors).toEqual([
      {
        file: 'BROKEN-1.json',
        error: expect.stringContaining('/modified must be string'),
      },
      {
        file: 'BROKEN-2.json',
        error: expect.stringContaining('is not valid UTF-8 JSON'),
      },
    ]);
  });

  it('refuses a zip bomb before inflating it', async () => {
    // 64 MiB of zeros compress to about 64 KiB.
    const bomb = Buffer.from(
      zipSync({ 'BOMB.json': new Uint8Array(64 * 1024 * 1024) }),
    );
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const refusal = parseOsvZip({
      data: bomb,
      limits: { maxEntryBytes: 1024 * 1024 },
    });
    await expect(refusal).rejects.toThrow(InputError);
    await expect(refusal).rejects.toThrow(
      "The zip entry 'BOMB.json' is 64.0 MiB uncompressed, more than the limit of 1.0 MiB; refusing the zip",
    );
  });

  it('stops inflating an entry that produces more than it declared', async () => {
    const bomb = Buffer.from(
      zipSync({ 'BOMB.json': new Uint8Array(64 * 1024 * 1024) }),
    );
    const lying = lieAboutSizes(bomb, 1000);
    await expect(parseOsvZip({ data: lying })).rejects.toThrow(
      "The zip entry 'BOMB.json' inflates to more than the 1000 bytes it declares; refusing the zip as a possible zip bomb",
    );
  });

  it('refuses zips over the entry count or total size limit', async () => {
    const zip = fixtureZip();
    await expect(
      parseOsvZip({ data: zip, limits: { maxEntries: 10 } }),
    ).rejects.toThrow(
      'The zip holds 34 entries, more than the limit of 10; refusing it',
    );
    await expect(
      parseOsvZip({ data: zip, limits: { maxTotalBytes: 50_000 } }),
    ).rejects.toThrow(
      "The zip's entries add up to more than the limit of 50000 bytes uncompressed; refusing the zip",
    );
  });

  it('refuses data that is not a zip', async () => {
    await expect(
      parseOsvZip({ data: Buffer.from('hello world, not a zip at all') }),
    ).rejects.toThrow('not a zip file');
    const truncated = fixtureZip().subarray(0, 5000);
    await expect(parseOsvZip({ data: truncated })).rejects.toThrow(InputError);
  });
});
