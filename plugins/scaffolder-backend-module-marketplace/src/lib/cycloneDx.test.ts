import { createNpmBom, npmPurl, serializeBom } from './cycloneDx';

describe('npmPurl', () => {
  it('encodes the scope as the namespace', () => {
    expect(npmPurl('@acme/ui', '2.1.0')).toBe('pkg:npm/%40acme/ui@2.1.0');
    expect(npmPurl('ms', '2.1.3')).toBe('pkg:npm/ms@2.1.3');
  });
});

describe('createNpmBom licenses', () => {
  const licenseOf = (license: string) => {
    const { bom } = createNpmBom({
      lockfile: {
        root: { dependencies: [] },
        packages: [
          {
            path: 'node_modules/a',
            name: 'a',
            version: '1.0.0',
            license,
            optional: false,
            dependencies: [],
          },
        ],
      },
      appName: 'app',
    });
    return JSON.parse(serializeBom(bom)).components[0].licenses;
  };

  it.each([
    ['MIT', [{ license: { id: 'MIT' } }]],
    ['Apache-2.0', [{ license: { id: 'Apache-2.0' } }]],
    ['MIT OR Apache-2.0', [{ expression: 'MIT OR Apache-2.0' }]],
    [
      '(BSD-2-Clause AND (ISC OR 0BSD))',
      [{ expression: '(BSD-2-Clause AND (ISC OR 0BSD))' }],
    ],
    [
      'GPL-2.0-only WITH Classpath-exception-2.0',
      [{ expression: 'GPL-2.0-only WITH Classpath-exception-2.0' }],
    ],
    ['MIT AND LicenseRef-Acme', [{ expression: 'MIT AND LicenseRef-Acme' }]],
    ['MIT OR', [{ license: { name: 'MIT OR' } }]],
    ['Custom (see README)', [{ license: { name: 'Custom (see README)' } }]],
  ])('records %j as %j', (license, expected) => {
    expect(licenseOf(license)).toEqual(expected);
  });
});
