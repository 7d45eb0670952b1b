import { ADVISORIES_DIR } from '../../../__testUtils__/fixtures';
import { loadOsvFolder } from './loadOsvFolder';
import type { OsvAdvisory } from './OsvAdvisory';
import { OsvIndex } from './OsvIndex';

const advisory = (
  id: string,
  modified: string,
  extra: Partial<OsvAdvisory> = {},
): OsvAdvisory => ({
  id,
  modified,
  affected: [
    {
      package: { ecosystem: 'npm', name: 'pkg' },
      ranges: [
        { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] },
      ],
    },
  ],
  ...extra,
});

describe('OsvIndex', () => {
  it('indexes the fixture feed by ecosystem and package', async () => {
    const index = OsvIndex.build(await loadOsvFolder({ dir: ADVISORIES_DIR }));
    expect(index.version).toMatch(/^[0-9a-f]{64}$/);
    expect(index.counts).toEqual({
      advisories: 34,
      withdrawn: 0,
      duplicates: 0,
      packages: 21,
      ecosystems: { npm: 31, NuGet: 2, Go: 1, PyPI: 1, Maven: 1 },
      unusableRanges: 0,
    });
    expect(index.problems).toEqual([]);
    expect(index.lookup({ ecosystem: 'npm', name: 'lodash' })).toHaveLength(7);
    // The same name in another ecosystem is another package.
    expect(index.lookup({ ecosystem: 'NuGet', name: 'moment' })).toHaveLength(
      0,
    );
    expect(
      index
        .lookup({ ecosystem: 'NuGet', name: 'moment.js' })
        .map(e => e.packageName),
    ).toEqual(['Moment.js', 'Moment.js']);
    expect(index.lookup({ ecosystem: 'npm', name: 'Moment.js' })).toHaveLength(
      0,
    );
    // PyPI names are looked up normalised.
    expect(index.lookup({ ecosystem: 'PyPI', name: 'Jinja2' })).toHaveLength(1);
  });

  it('merges the affected entries an advisory has for one package', async () => {
    const index = OsvIndex.build(await loadOsvFolder({ dir: ADVISORIES_DIR }));
    const ws = index.lookup({ ecosystem: 'npm', name: 'ws' });
    const entry = ws.find(e => e.advisory.id === 'GHSA-3h5v-q93c-6h6q')!;
    expect(entry.ranges).toHaveLength(4);
  });

  it('finds Go advisories on packages inside a module under the module', async () => {
    const index = OsvIndex.build(await loadOsvFolder({ dir: ADVISORIES_DIR }));
    const ids = (name: string) =>
      index.lookup({ ecosystem: 'Go', name }).map(e => e.advisory.id);
    expect(ids('golang.org/x/text/language')).toEqual(['GHSA-69ch-w2m2-3vjp']);
    expect(ids('golang.org/x/text')).toEqual(['GHSA-69ch-w2m2-3vjp']);
    expect(ids('golang.org/x/tex')).toEqual([]);
    expect(ids('golang.org/x/text/language/display')).toEqual([]);
  });

  it('has a version that depends on ids and modified times, not on their order', () => {
    const a = advisory('A', '2024-01-01T00:00:00Z');
    const b = advisory('B', '2024-02-01T00:00:00Z');
    const v1 = OsvIndex.build({ advisories: [a, b] }).version;
    expect(OsvIndex.build({ advisories: [b, a] }).version).toBe(v1);
    expect(
      OsvIndex.build({
        advisories: [a, { ...b, modified: '2024-03-01T00:00:00Z' }],
      }).version,
    ).not.toBe(v1);
    expect(OsvIndex.build({ advisories: [a] }).version).not.toBe(v1);
  });

  it('keeps the newest copy of a duplicated advisory and never matches withdrawn ones', () => {
    const old = advisory('A', '2024-01-01T00:00:00Z', { summary: 'old' });
    const current = advisory('A', '2024-05-01T00:00:00Z', {
      summary: 'current',
    });
    const withdrawn = advisory('W', '2024-01-01T00:00:00Z', {
      withdrawn: '2024-02-01T00:00:00Z',
    });
    const index = OsvIndex.build({ advisories: [current, withdrawn, old] });
    expect(index.counts).toMatchObject({
      advisories: 2,
      duplicates: 1,
      withdrawn: 1,
    });
    expect(
      index
        .lookup({ ecosystem: 'npm', name: 'pkg' })
        .map(e => e.advisory.summary),
    ).toEqual(['current']);
  });

  it('skips and counts ranges whose bounds are not versions', () => {
    const broken = advisory('A', '2024-01-01T00:00:00Z', {
      affected: [
        {
          package: { ecosystem: 'npm', name: 'pkg' },
          ranges: [
            {
              type: 'ECOSYSTEM',
              events: [{ introduced: '0' }, { fixed: 'next' }],
            },
            {
              type: 'GIT',
              repo: 'https://example.com/x.git',
              events: [{ introduced: 'abc123' }],
            },
          ],
          versions: ['0.1.0'],
        },
      ],
    });
    const index = OsvIndex.build({ advisories: [broken] });
    expect(index.counts.unusableRanges).toBe(1);
    expect(index.problems).toEqual([
      'A npm/pkg: fixed "next" is not a valid npm version',
    ]);
    const [entry] = index.lookup({ ecosystem: 'npm', name: 'pkg' });
    expect(entry.ranges).toEqual([]);
    expect(entry.versions.map(v => v.raw)).toEqual(['0.1.0']);
  });
});
