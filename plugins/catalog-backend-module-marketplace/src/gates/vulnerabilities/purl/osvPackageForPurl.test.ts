import { osvPackageForPurl } from './osvPackageForPurl';

describe('osvPackageForPurl', () => {
  it.each([
    ['pkg:npm/lodash@2.4.2', 'npm', 'lodash', '2.4.2'],
    ['pkg:npm/%40scope/name@1.0.0', 'npm', '@scope/name', '1.0.0'],
    [
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      'Maven',
      'org.apache.logging.log4j:log4j-core',
      '2.14.1',
    ],
    ['pkg:pypi/jinja2@3.1.2', 'PyPI', 'jinja2', '3.1.2'],
    // PEP 503: runs of -_. become one -, lower case.
    [
      'pkg:pypi/Zope.Interface__Extra@5.0',
      'PyPI',
      'zope-interface-extra',
      '5.0',
    ],
    [
      'pkg:golang/golang.org/x/text@v0.3.7',
      'Go',
      'golang.org/x/text',
      'v0.3.7',
    ],
    ['pkg:nuget/Moment.js@2.29.4', 'NuGet', 'moment.js', '2.29.4'],
    ['pkg:gem/rails@7.0.4', 'RubyGems', 'rails', '7.0.4'],
    ['pkg:cargo/serde@1.0.0', 'crates.io', 'serde', '1.0.0'],
    [
      'pkg:composer/Laravel/Framework@7.12.0',
      'Packagist',
      'laravel/framework',
      '7.12.0',
    ],
  ])('maps %s to %s %s', (purl, ecosystem, name, version) => {
    expect(osvPackageForPurl({ purl })).toEqual({
      package: { ecosystem, name, version, purl },
    });
  });

  it('takes the component version when the purl has none', () => {
    expect(
      osvPackageForPurl({ purl: 'pkg:npm/lodash', version: '4.17.21' }),
    ).toEqual({
      package: {
        ecosystem: 'npm',
        name: 'lodash',
        version: '4.17.21',
        purl: 'pkg:npm/lodash',
      },
    });
  });

  it.each([
    ['pkg:npm/lodash', 'no version'],
    [
      'pkg:deb/debian/curl@7.50.3',
      "package URL type 'deb' has no OSV ecosystem here",
    ],
    ['pkg:maven/log4j-core@2.14.1', "a 'maven' package URL needs a namespace"],
    ['not a purl', "must start with 'pkg:'"],
    ['pkg:npm/foo%zz@1', 'not correctly percent-encoded'],
  ])('skips %s with a reason instead of throwing', (purl, reason) => {
    const result = osvPackageForPurl({ purl });
    expect(result).toEqual({ skipped: expect.stringContaining(reason) });
  });
});
