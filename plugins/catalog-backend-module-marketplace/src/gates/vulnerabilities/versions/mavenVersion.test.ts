import { compareMavenVersions, mavenScheme } from './mavenVersion';

const cmp = (a: string, b: string) => Math.sign(compareMavenVersions({ a, b }));

/** Pairs that are not in strictly ascending order, both ways round. */
function unordered(versions: string[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < versions.length; i++) {
    for (let j = i + 1; j < versions.length; j++) {
      if (
        cmp(versions[i], versions[j]) !== -1 ||
        cmp(versions[j], versions[i]) !== 1
      ) {
        problems.push(`${versions[i]} < ${versions[j]}`);
      }
    }
  }
  return problems;
}

describe('Maven ComparableVersion ordering', () => {
  // The lists of Maven's own ComparableVersionTest.
  it('orders qualifiers: alpha < beta < milestone < rc < snapshot < release < sp < unknown', () => {
    const versions = [
      '1-alpha2snapshot',
      '1-alpha2',
      '1-alpha-123',
      '1-beta-2',
      '1-beta123',
      '1-m2',
      '1-m11',
      '1-rc',
      '1-cr2',
      '1-rc123',
      '1-SNAPSHOT',
      '1',
      '1-sp',
      '1-sp2',
      '1-sp123',
      '1-abc',
      '1-def',
      '1-pom-1',
      '1-1-snapshot',
      '1-1',
      '1-2',
      '1-123',
    ];
    expect(unordered(versions)).toEqual([]);
  });

  it('orders numbers, sub-lists and letters', () => {
    const versions = [
      '2.0',
      '2-1',
      '2.0.a',
      '2.0.0.a',
      '2.0.2',
      '2.0.123',
      '2.1.0',
      '2.1-a',
      '2.1b',
      '2.1-c',
      '2.1-1',
      '2.1.0.1',
      '2.2',
      '2.123',
      '11.a2',
      '11.a11',
      '11.b2',
      '11.b11',
      '11.m2',
      '11.m11',
      '11',
      '11.a',
      '11b',
      '11c',
      '11m',
    ];
    expect(unordered(versions)).toEqual([]);
  });

  it.each([
    ['1', '1.0'],
    ['1', '1.0.0'],
    ['1.0', '1.0.0'],
    ['1', '1-0'],
    ['1', '1.0-0'],
    ['1a', '1-a'],
    ['1a', '1.0-a'],
    ['1a', '1.0.0-a'],
    ['1x', '1-x'],
    ['1x', '1.0.0-x'],
    ['1ga', '1'],
    ['1release', '1'],
    ['1final', '1'],
    ['1Final', '1'],
    ['1cr', '1rc'],
    ['1a1', '1-alpha-1'],
    ['1b2', '1-beta-2'],
    ['1m3', '1-milestone-3'],
    ['1X', '1x'],
    ['1A', '1a'],
    ['2.4', '2.4.0'],
    ['2.0.0-RELEASE', '2.0.0'],
  ])('%s equals %s', (a, b) => {
    expect(cmp(a, b)).toBe(0);
    expect(cmp(b, a)).toBe(0);
  });

  it('reads two-part versions as Maven does (the log4j-core range starts at "2.4")', () => {
    expect(cmp('2.4', '2.4.1')).toBe(-1);
    expect(cmp('2.4', '2.3.1')).toBe(1);
    expect(cmp('2.12.2', '2.4')).toBe(1);
    expect(cmp('2.15.0-rc1', '2.15.0')).toBe(-1);
    expect(cmp('2.15.0', '2.15.0-SNAPSHOT')).toBe(1);
  });

  it('compares numbers of any length numerically', () => {
    expect(cmp('1.10', '1.9')).toBe(1);
    expect(cmp('1.0.20230101123456789', '1.0.20230101123456790')).toBe(-1);
    expect(cmp('1.007', '1.7')).toBe(0);
  });

  it('parses through the scheme', () => {
    const a = mavenScheme.parse('2.14.1')!;
    const b = mavenScheme.parse('2.15.0')!;
    expect(mavenScheme.compare(a, b)).toBeLessThan(0);
    expect(mavenScheme.parse('  ')).toBeUndefined();
  });
});
