import { InputError } from '@backstage/errors';
import * as fflate from 'fflate';
import { zipSync, type Zippable } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { ADVISORIES_DIR } from '../../../__testUtils__/fixtures';
import { LimitExceededError } from '../../../bounds/LimitExceededError';
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
    await expect(refusal).rejects.toThrow(LimitExceededError);
    await expect(refusal).rejects.toThrow(
      "The zip entry 'BOMB.json' is 67108864 bytes (64.0 MiB) uncompressed, more than the limit of 1048576 bytes (1.0 MiB) (marketplace.gates.vulnerabilities.limits.maxEntryBytes); refusing the zip",
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
      'The zip holds 34 entries, more than the limit of 10 (marketplace.gates.vulnerabilities.limits.maxEntries); refusing it',
    );
    await expect(
      parseOsvZip({ data: zip, limits: { maxTotalBytes: 50_000 } }),
    ).rejects.toThrow(
      "The zip's entries add up to more than the limit of 50000 bytes uncompressed (marketplace.gates.vulnerabilities.limits.maxTotalBytes); refusing the zip",
    );
  });

  // Each limit: at it the zip loads; one over, it is refused (or, for the depth, the
  // advisory is skipped) with an error naming the limit and its key.
  describe('limits, at and just over', () => {
    const fixtureSizes = () =>
      fs
        .readdirSync(ADVISORIES_DIR)
        .filter(n => n.endsWith('.json'))
        .map(n => fs.statSync(path.join(ADVISORIES_DIR, n)).size);
    const ADVISORY = fs.readFileSync(
      path.join(ADVISORIES_DIR, 'GHSA-8hfj-j24r-96c4.json'),
    );
    const KEY = 'marketplace.gates.vulnerabilities.limits';

    it('maxEntries: 34 entries load at 34 and are refused at 33', async () => {
      const zip = fixtureZip();
      const atLimit = await parseOsvZip({
        data: zip,
        limits: { maxEntries: 34 },
      });
      expect(atLimit.advisories).toHaveLength(34);
      const over = parseOsvZip({ data: zip, limits: { maxEntries: 33 } });
      await expect(over).rejects.toThrow(LimitExceededError);
      await expect(over).rejects.toThrow(
        `The zip holds 34 entries, more than the limit of 33 (${KEY}.maxEntries); refusing it`,
      );
    });

    it('maxTotalBytes: entries adding up to exactly the limit load, one byte less refuses the zip', async () => {
      const total = fixtureSizes().reduce((a, b) => a + b, 0);
      const zip = fixtureZip();
      const atLimit = await parseOsvZip({
        data: zip,
        limits: { maxTotalBytes: total },
      });
      expect(atLimit.advisories).toHaveLength(34);
      await expect(
        parseOsvZip({ data: zip, limits: { maxTotalBytes: total - 1 } }),
      ).rejects.toThrow(
        `The zip's entries add up to more than the limit of ${
          total - 1
        } bytes uncompressed (${KEY}.maxTotalBytes); refusing the zip`,
      );
    });

    describe('maxEntryBytes, with a high-ratio entry (an advisory padded to 1 MiB, compressed to a few KiB)', () => {
      const MIB = 1024 * 1024;
      const padded = Buffer.concat([
        ADVISORY,
        Buffer.alloc(MIB - ADVISORY.length, ' '),
      ]);
      const zip = Buffer.from(zipSync({ 'PADDED.json': padded }));

      it('is more than 100:1', () => {
        expect(padded.length).toBe(MIB);
        expect(zip.length * 100).toBeLessThan(MIB);
      });

      it('loads at the limit', async () => {
        const { advisories, errors } = await parseOsvZip({
          data: zip,
          limits: { maxEntryBytes: MIB },
        });
        expect(errors).toEqual([]);
        expect(advisories.map(a => a.id)).toEqual(['GHSA-8hfj-j24r-96c4']);
      });

      it('is refused one byte over, by its declared size, before it is inflated', async () => {
        const inflate = jest.spyOn(fflate.Inflate.prototype, 'push');
        try {
          const over = parseOsvZip({
            data: zip,
            limits: { maxEntryBytes: MIB - 1 },
          });
          await expect(over).rejects.toThrow(LimitExceededError);
          await expect(over).rejects.toThrow(
            `The zip entry 'PADDED.json' is 1048576 bytes (1.0 MiB) uncompressed, more than the limit of 1048575 bytes (${KEY}.maxEntryBytes); refusing the zip`,
          );
          expect(inflate).not.toHaveBeenCalled();
        } finally {
          inflate.mockRestore();
        }
      });
    });

    describe('an entry that lies about its size', () => {
      const zip = Buffer.from(zipSync({ 'A.json': ADVISORY }));

      it('loads when it inflates to exactly what it declares', async () => {
        const honest = lieAboutSizes(zip, ADVISORY.length);
        expect(honest).toEqual(zip);
        const { advisories } = await parseOsvZip({ data: honest });
        expect(advisories).toHaveLength(1);
      });

      it('is refused, as a zip bomb, when it inflates to one byte more than it declares', async () => {
        const lying = lieAboutSizes(zip, ADVISORY.length - 1);
        await expect(parseOsvZip({ data: lying })).rejects.toThrow(
          `The zip entry 'A.json' inflates to more than the ${
            ADVISORY.length - 1
          } bytes it declares; refusing the zip as a possible zip bomb`,
        );
      });

      it('is stopped within one chunk when it declares little and inflates to 64 MiB', async () => {
        const bomb = Buffer.from(
          zipSync({ 'BOMB.json': new Uint8Array(64 * 1024 * 1024) }),
        );
        const lying = lieAboutSizes(bomb, 1000);
        const inflated: number[] = [];
        const original = fflate.Inflate.prototype.push;
        const push = jest
          .spyOn(fflate.Inflate.prototype, 'push')
          .mockImplementation(function track(
            this: fflate.Inflate,
            chunk,
            final,
          ) {
            inflated.push(chunk.length);
            return original.call(this, chunk, final);
          });
        try {
          await expect(parseOsvZip({ data: lying })).rejects.toThrow(
            'possible zip bomb',
          );
          // refused after the first 16 KiB of compressed data, not 64 KiB of it
          expect(inflated).toHaveLength(1);
        } finally {
          push.mockRestore();
        }
      });
    });

    describe('maxDepth', () => {
      const depthOf = (value: unknown): number =>
        value !== null && typeof value === 'object'
          ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
          : 0;
      /** The advisory with database_specific nested `levels` deep. */
      const deepAdvisory = (levels: number) => {
        let nested: object = {};
        for (let i = 1; i < levels; i++) nested = { x: nested };
        return Buffer.from(
          JSON.stringify({
            ...JSON.parse(ADVISORY.toString()),
            id: 'DEEP-1',
            database_specific: nested,
          }),
        );
      };
      const deep = deepAdvisory(20);
      const depth = depthOf(JSON.parse(deep.toString()));

      it('loads an advisory exactly maxDepth deep', async () => {
        expect(depth).toBe(21);
        const { advisories, errors } = await parseOsvZip({
          data: fixtureZip({ 'DEEP-1.json': deep }),
          limits: { maxDepth: depth },
        });
        expect(errors).toEqual([]);
        expect(advisories).toHaveLength(35);
      });

      it('skips one a level deeper, naming the file, the limit and the key; the rest loads', async () => {
        const { advisories, errors } = await parseOsvZip({
          data: fixtureZip({ 'DEEP-1.json': deep }),
          limits: { maxDepth: depth - 1 },
        });
        expect(errors).toEqual([
          {
            file: 'DEEP-1.json',
            error: `nests objects and arrays deeper than the limit of ${
              depth - 1
            } levels (${KEY}.maxDepth)`,
          },
        ]);
        expect(advisories).toHaveLength(34);
      });

      it('refuses 100,000 levels by the default limit before the schema validation recurses', async () => {
        const hostile = Buffer.from(
          `{"id":"DEEP-2","modified":"2024-01-01T00:00:00Z","database_specific":${'{"x":'.repeat(
            100_000,
          )}{}${'}'.repeat(100_000)}}`,
        );
        const started = Date.now();
        const { errors } = await parseOsvZip({
          data: Buffer.from(zipSync({ 'DEEP-2.json': hostile })),
        });
        expect(errors).toEqual([
          {
            file: 'DEEP-2.json',
            error: `nests objects and arrays deeper than the limit of 64 levels (${KEY}.maxDepth)`,
          },
        ]);
        expect(Date.now() - started).toBeLessThan(2000);
      });
    });
  });

  it('refuses data that is not a zip', async () => {
    await expect(
      parseOsvZip({ data: Buffer.from('hello world, not a zip at all') }),
    ).rejects.toThrow('not a zip file');
    const truncated = fixtureZip().subarray(0, 5000);
    await expect(parseOsvZip({ data: truncated })).rejects.toThrow(InputError);
  });
});
