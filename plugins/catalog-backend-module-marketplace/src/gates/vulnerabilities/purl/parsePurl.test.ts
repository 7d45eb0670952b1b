import { InputError } from '@backstage/errors';
import { parsePurl } from './parsePurl';

describe('parsePurl', () => {
  it.each([
    ['pkg:npm/lodash@2.4.2', { type: 'npm', name: 'lodash', version: '2.4.2' }],
    [
      'pkg:npm/%40scope/name@1.0.0',
      { type: 'npm', namespace: '@scope', name: 'name', version: '1.0.0' },
    ],
    // Unencoded scopes are common in real SBOMs, though the spec wants %40.
    [
      'pkg:npm/@babel/core@7.21.0',
      { type: 'npm', namespace: '@babel', name: 'core', version: '7.21.0' },
    ],
    ['pkg:npm/@babel/core', { type: 'npm', namespace: '@babel', name: 'core' }],
    [
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar',
      {
        type: 'maven',
        namespace: 'org.apache.logging.log4j',
        name: 'log4j-core',
        version: '2.14.1',
        qualifiers: { type: 'jar' },
      },
    ],
    [
      'pkg:pypi/jinja2@3.1.2',
      { type: 'pypi', name: 'jinja2', version: '3.1.2' },
    ],
    [
      'pkg:golang/golang.org/x/text@v0.3.7#language',
      {
        type: 'golang',
        namespace: 'golang.org/x',
        name: 'text',
        version: 'v0.3.7',
        subpath: 'language',
      },
    ],
    [
      'pkg:npm/%40babel/parser@7.21.2#packages/babel-parser',
      {
        type: 'npm',
        namespace: '@babel',
        name: 'parser',
        version: '7.21.2',
        subpath: 'packages/babel-parser',
      },
    ],
    [
      'PKG:NPM/foo@1.0.0?Arch=x86%2D64&empty=&os=linux',
      {
        type: 'npm',
        name: 'foo',
        version: '1.0.0',
        qualifiers: { arch: 'x86-64', os: 'linux' },
      },
    ],
    ['pkg://npm/foo@1.0.0', { type: 'npm', name: 'foo', version: '1.0.0' }],
    [
      'pkg:nuget/Newtonsoft.Json@13.0.1',
      { type: 'nuget', name: 'Newtonsoft.Json', version: '13.0.1' },
    ],
    [
      'pkg:generic/name%20with%20space@1.0%2Bbuild',
      { type: 'generic', name: 'name with space', version: '1.0+build' },
    ],
    [
      'pkg:npm/foo#./../lib/./x/',
      { type: 'npm', name: 'foo', subpath: 'lib/x' },
    ],
  ])('parses %s', (purl, expected) => {
    expect(parsePurl({ purl })).toEqual({ qualifiers: {}, ...expected });
  });

  it.each([
    ['npm/lodash@1.0.0', "must start with 'pkg:'"],
    ['pkg:npm', 'has no name'],
    ['pkg:npm/', 'has no name'],
    ['pkg:npm/foo%zz@1.0.0', 'not correctly percent-encoded'],
    ['pkg:1npm/foo', 'not a valid package URL type'],
    ['pkg:npm/foo?b@d=1', 'not a valid package URL qualifier key'],
    [`pkg:npm/${'a'.repeat(5000)}`, 'longer than'],
  ])('refuses %s', (purl, message) => {
    expect(() => parsePurl({ purl })).toThrow(InputError);
    expect(() => parsePurl({ purl })).toThrow(message);
  });
});
