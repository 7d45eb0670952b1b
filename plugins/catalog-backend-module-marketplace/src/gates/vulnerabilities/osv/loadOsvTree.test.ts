import fs from 'node:fs';
import path from 'node:path';
import { ADVISORIES_DIR } from '../../../__testUtils__/fixtures';
import { LimitExceededError } from '../../../bounds/LimitExceededError';
import { loadOsvTree } from './loadOsvTree';

const KEY = 'marketplace.gates.vulnerabilities.limits';
const FILES: Record<string, Buffer> = Object.fromEntries(
  [
    'GHSA-8hfj-j24r-96c4.json',
    'GHSA-jf85-cpcp-j695.json',
    'GHSA-5mrr-rgp6-x4gr.json',
  ].map(name => [
    `advisories/${name}`,
    fs.readFileSync(path.join(ADVISORIES_DIR, name)),
  ]),
);
FILES['README.md'] = Buffer.from('not an advisory');
const sizes = Object.entries(FILES)
  .filter(([name]) => name.endsWith('.json'))
  .map(([, content]) => content.length);

/** A tree as UrlReader reads it: honouring the filter and its sizes, or ignoring both. */
function treeReader(options: { honoursFilter: boolean }) {
  const extracted: string[] = [];
  return {
    extracted,
    read: async (filter: (p: string, info?: { size: number }) => boolean) => {
      const kept = Object.entries(FILES).filter(
        ([name, content]) =>
          !options.honoursFilter || filter(name, { size: content.length }),
      );
      return {
        files: async () =>
          kept.map(([name, content]) => {
            extracted.push(name);
            return { path: name, content: async () => content };
          }),
      };
    },
  };
}

describe('loadOsvTree', () => {
  it.each([true, false])(
    'loads the advisories of a tree (reader honours the filter: %s)',
    async honoursFilter => {
      const { advisories, errors } = await loadOsvTree(
        treeReader({ honoursFilter }),
      );
      expect(errors).toEqual([]);
      expect(advisories).toHaveLength(3);
    },
  );

  describe.each([true, false])(
    'limits, at and just over (reader honours the filter: %s)',
    honoursFilter => {
      const load = (limits: object) =>
        loadOsvTree({ ...treeReader({ honoursFilter }), limits });

      it('maxEntries', async () => {
        expect((await load({ maxEntries: 3 })).advisories).toHaveLength(3);
        const over = load({ maxEntries: 2 });
        await expect(over).rejects.toThrow(LimitExceededError);
        await expect(over).rejects.toThrow(
          `The advisory tree holds 3 files, more than the limit of 2 (${KEY}.maxEntries)`,
        );
      });

      it('maxEntryBytes', async () => {
        const largest = Math.max(...sizes);
        const atLimit = await load({ maxEntryBytes: largest });
        expect(atLimit.errors).toEqual([]);
        expect(atLimit.advisories).toHaveLength(3);
        const over = await load({ maxEntryBytes: largest - 1 });
        expect(over.advisories).toHaveLength(2);
        expect(over.errors).toEqual([
          {
            file: expect.stringMatching(/^advisories\/GHSA-.*\.json$/),
            error: `is ${largest} bytes, more than the limit of ${
              largest - 1
            } (${KEY}.maxEntryBytes)`,
          },
        ]);
      });

      it('maxTotalBytes', async () => {
        const total = sizes.reduce((a, b) => a + b, 0);
        expect((await load({ maxTotalBytes: total })).advisories).toHaveLength(
          3,
        );
        await expect(load({ maxTotalBytes: total - 1 })).rejects.toThrow(
          `The advisory tree holds more than the limit of ${
            total - 1
          } bytes (${KEY}.maxTotalBytes)`,
        );
      });

      it('maxDepth', async () => {
        expect((await load({ maxDepth: 7 })).errors).toEqual([]);
        const over = await load({ maxDepth: 6 });
        expect(over.advisories).toEqual([]);
        expect(over.errors).toHaveLength(3);
        expect(over.errors[0]).toEqual({
          file: expect.stringMatching(/^advisories\//),
          error: `nests objects and arrays deeper than the limit of 6 levels (${KEY}.maxDepth)`,
        });
      });
    },
  );

  it('leaves files over a limit unextracted when the reader honours the filter', async () => {
    const reader = treeReader({ honoursFilter: true });
    const largest = Math.max(...sizes);
    await loadOsvTree({ ...reader, limits: { maxEntryBytes: largest - 1 } });
    expect(reader.extracted).toHaveLength(2);
    expect(reader.extracted).not.toContain('README.md');
  });
});
