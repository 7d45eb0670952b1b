import { matchComponents } from '../matchComponents';
import { generateSyntheticAdvisories } from './generateSyntheticAdvisories';
import { OsvIndex } from './OsvIndex';
import { parseOsvAdvisory } from './parseOsvAdvisory';

describe('generateSyntheticAdvisories', () => {
  it('is deterministic for a seed', () => {
    const a = generateSyntheticAdvisories({ count: 50, seed: 7 });
    expect(generateSyntheticAdvisories({ count: 50, seed: 7 })).toEqual(a);
    expect(generateSyntheticAdvisories({ count: 50, seed: 8 })).not.toEqual(a);
  });

  it('produces valid OSV advisories for npm that index and match', () => {
    const advisories = generateSyntheticAdvisories({
      count: 2000,
      seed: 1,
      packageNames: ['left-pad', '@scope/pkg'],
    });
    for (const advisory of advisories) {
      expect(parseOsvAdvisory({ data: JSON.stringify(advisory) })).toEqual(
        advisory,
      );
    }
    const index = OsvIndex.build({ advisories });
    expect(index.counts).toMatchObject({
      advisories: 2000,
      packages: 2,
      unusableRanges: 0,
    });
    const { matches } = matchComponents({
      index,
      components: [
        {
          ecosystem: 'npm',
          name: 'left-pad',
          version: '1.0.0',
          purl: 'pkg:npm/left-pad@1.0.0',
        },
      ],
    });
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every(m => m.advisory.id.startsWith('SYN-1-'))).toBe(true);
  });

  it('refuses a bad count', () => {
    expect(() => generateSyntheticAdvisories({ count: -1, seed: 1 })).toThrow(
      'count must be a non-negative integer',
    );
  });
});
