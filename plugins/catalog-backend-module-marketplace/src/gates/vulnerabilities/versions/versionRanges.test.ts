import { compileRange, evaluateRange, type OsvEvent } from './versionRanges';
import { versionSchemeFor } from './versionSchemeFor';

function check(
  ecosystem: string,
  events: OsvEvent[],
  version: string,
  type = 'ECOSYSTEM',
) {
  const scheme = versionSchemeFor({ ecosystem, rangeType: type });
  const range = compileRange({ events, scheme });
  if ('error' in range) throw new Error(range.error);
  const parsed = scheme.parse(version);
  if (parsed === undefined) throw new Error(`cannot parse ${version}`);
  return evaluateRange({ range, version: parsed });
}

describe('OSV range evaluation', () => {
  const fixedRange = [{ introduced: '1.0.0' }, { fixed: '1.2.0' }];

  it('treats introduced as inclusive and fixed as exclusive', () => {
    expect(check('npm', fixedRange, '0.9.9')).toBeUndefined();
    expect(check('npm', fixedRange, '1.0.0')).toEqual({ fixed: '1.2.0' });
    expect(check('npm', fixedRange, '1.1.9')).toEqual({ fixed: '1.2.0' });
    expect(check('npm', fixedRange, '1.2.0')).toBeUndefined();
  });

  it('treats last_affected as inclusive and reports no fix', () => {
    const events = [{ introduced: '0' }, { last_affected: '1.3.3' }];
    expect(check('npm', events, '1.3.3')).toEqual({});
    expect(check('npm', events, '1.3.4')).toBeUndefined();
    expect(check('npm', events, '0.0.1')).toEqual({});
  });

  it('reads an empty fixed as no upper bound', () => {
    const events = [{ introduced: '0.0.0' }, { fixed: '' }];
    expect(check('npm', events, '0.6.11')).toEqual({});
    expect(check('npm', events, '99.0.0')).toEqual({});
  });

  it('excludes versions at or above a limit', () => {
    const events = [{ introduced: '0' }, { limit: '2.0.0' }];
    expect(check('npm', events, '1.9.9')).toEqual({});
    expect(check('npm', events, '2.0.0')).toBeUndefined();
  });

  it('sorts events before evaluating and names the fix of the matching interval', () => {
    const events = [
      { introduced: '7.0.0' },
      { fixed: '8.17.1' },
      { fixed: '7.5.10' },
      { introduced: '8.0.0' },
      { introduced: '0' },
      { fixed: '5.2.4' },
    ];
    expect(check('npm', events, '7.4.6')).toEqual({ fixed: '7.5.10' });
    expect(check('npm', events, '8.2.0')).toEqual({ fixed: '8.17.1' });
    expect(check('npm', events, '6.0.0')).toBeUndefined();
    expect(check('npm', events, '5.2.3')).toEqual({ fixed: '5.2.4' });
  });

  it('counts a prerelease of the fix as affected and a prerelease after it as not', () => {
    expect(check('npm', fixedRange, '1.2.0-beta.1')).toEqual({
      fixed: '1.2.0',
    });
    expect(check('npm', fixedRange, '1.2.1-beta.1')).toBeUndefined();
    expect(check('npm', fixedRange, '1.0.0-rc.1')).toBeUndefined();
  });

  it('compares Go versions without their v prefix', () => {
    const events = [{ introduced: '0' }, { fixed: '0.3.8' }];
    expect(check('Go', events, 'v0.3.7')).toEqual({ fixed: '0.3.8' });
    expect(check('Go', events, 'v0.3.8')).toBeUndefined();
    expect(check('Go', events, 'v0.0.0-20210101000000-abcdefabcdef')).toEqual({
      fixed: '0.3.8',
    });
  });

  it('compares PyPI versions per PEP 440', () => {
    const events = [{ introduced: '0' }, { fixed: '3.1.3' }];
    expect(check('PyPI', events, '3.1.2')).toEqual({ fixed: '3.1.3' });
    expect(check('PyPI', events, '3.1.3rc1')).toEqual({ fixed: '3.1.3' });
    expect(check('PyPI', events, '3.1.3')).toBeUndefined();
    expect(check('PyPI', events, '3.1.3.post1')).toBeUndefined();
    expect(check('PyPI', events, '1!1.0')).toBeUndefined();
  });

  it('compares Maven versions with ComparableVersion', () => {
    const events = [{ introduced: '2.4' }, { fixed: '2.12.2' }];
    expect(check('Maven', events, '2.4.1')).toEqual({ fixed: '2.12.2' });
    expect(check('Maven', events, '2.12.2')).toBeUndefined();
    expect(check('Maven', events, '2.12.2-rc1')).toEqual({ fixed: '2.12.2' });
  });

  it('uses SemVer for SEMVER ranges whatever the ecosystem', () => {
    expect(check('Maven', fixedRange, '1.1.0', 'SEMVER')).toEqual({
      fixed: '1.2.0',
    });
  });

  it('refuses a range whose bound is not a version of the ecosystem', () => {
    const scheme = versionSchemeFor({ ecosystem: 'npm' });
    expect(
      compileRange({ events: [{ introduced: '0' }, { fixed: 'abc' }], scheme }),
    ).toEqual({
      error: 'fixed "abc" is not a valid npm version',
    });
  });
});

describe('version schemes', () => {
  it('reads npm versions loosely but keeps prereleases', () => {
    const npm = versionSchemeFor({ ecosystem: 'npm' });
    expect(npm.parse('v1.2.3')).toBeDefined();
    expect(npm.parse('=1.2.3')).toBeDefined();
    expect(
      npm.compare(npm.parse('1.0.0-beta.2'), npm.parse('1.0.0-beta.10')),
    ).toBeLessThan(0);
    expect(
      npm.compare(npm.parse('1.0.0-alpha'), npm.parse('1.0.0-1')),
    ).toBeGreaterThan(0);
    expect(npm.compare(npm.parse('2.4'), npm.parse('2.4.0'))).toBe(0);
    expect(npm.parse('latest')).toBeUndefined();
  });

  it('falls back to dotted numeric comparison for other ecosystems', () => {
    const nuget = versionSchemeFor({ ecosystem: 'NuGet' });
    const v = (s: string) => nuget.parse(s);
    expect(nuget.compare(v('1.2.10'), v('1.2.9'))).toBeGreaterThan(0);
    expect(nuget.compare(v('1.2'), v('1.2.0.0'))).toBe(0);
    expect(nuget.compare(v('1.2.0-rc1'), v('1.2.0'))).toBeLessThan(0);
    expect(nuget.compare(v('1.2.0+build5'), v('1.2.0'))).toBe(0);
    expect(nuget.compare(v('1.2.0.1'), v('1.2.0-beta'))).toBeGreaterThan(0);
    expect(nuget.parse('not a version')).toBeUndefined();
    expect(versionSchemeFor({ ecosystem: 'RubyGems' }).name).toBe('generic');
    expect(versionSchemeFor({ ecosystem: 'crates.io' }).name).toBe('SemVer');
  });
});
