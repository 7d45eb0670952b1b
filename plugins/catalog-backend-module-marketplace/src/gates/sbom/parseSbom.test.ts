import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { SBOMS_DIR } from '../../__testUtils__/fixtures';
import { DEFAULT_SBOM_MAX_DEPTH, parseSbom } from './parseSbom';

const read = (file: string) => fs.readFileSync(path.join(SBOMS_DIR, file));

/** Walks a CycloneDX document the simple way, as a check on the parser's own walk. */
function cycloneDxComponents(components: any[] = []): any[] {
  return components.flatMap(c => [c, ...cycloneDxComponents(c.components)]);
}

const cdx = (body: object, specVersion = '1.4') =>
  Buffer.from(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion,
      version: 1,
      ...body,
    }),
  );

const spdx = (body: object) =>
  Buffer.from(
    JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'doc',
      ...body,
    }),
  );

describe('parseSbom', () => {
  describe.each([
    'juice-shop-14.1.1.cdx-1.4.json',
    'laravel-7.12.0.cdx-1.4.json',
    'proton-bridge-1.8.0.cdx.json',
    'cern-lhc-vdm-editor.cdx.json',
  ])('the real CycloneDX SBOM %s', file => {
    const content = read(file);
    const json = JSON.parse(content.toString());
    const expected = cycloneDxComponents(json.components);

    it('parses with its version, hash and every component', async () => {
      const facts = await parseSbom({ content });
      expect(facts.format).toBe('CycloneDX');
      expect(facts.specVersion).toBe(json.specVersion);
      expect(facts.sha256).toBe(
        createHash('sha256').update(content).digest('hex'),
      );
      expect(facts.components).toHaveLength(expected.length);
      expect(facts.components.map(c => c.purl)).toEqual(
        expected.map(c => c.purl),
      );
      expect(facts.components.map(c => c.version)).toEqual(
        expected.map(c => c.version),
      );
    });

    it('keeps ids, names and expressions of the licenses', async () => {
      const facts = await parseSbom({ content });
      expected.forEach((c, i) => {
        const declared = (c.licenses ?? []).map(
          (l: any) => l.expression ?? l.license.id ?? l.license.name,
        );
        expect(facts.components[i].licenses).toEqual([...new Set(declared)]);
      });
    });

    it('produces plain JSON facts', async () => {
      const facts = await parseSbom({ content });
      expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
    });
  });

  it('names a component with its group, as its purl does', async () => {
    const content = read('laravel-7.12.0.cdx-1.4.json');
    const framework = JSON.parse(content.toString()).components.find(
      (c: any) => c.group === 'laravel' && c.name === 'framework',
    );
    const facts = await parseSbom({ content });
    expect(facts.components).toContainEqual({
      name: 'laravel/framework',
      version: framework.version,
      purl: `pkg:composer/laravel/framework@${framework.version}`,
      licenses: ['MIT'],
    });
  });

  it.each(['1.3', '1.5', '1.6'])(
    'validates CycloneDX %s against its own schema',
    async version => {
      const json = JSON.parse(read('laravel-7.12.0.cdx-1.4.json').toString());
      delete json.$schema;
      const facts = await parseSbom({
        content: Buffer.from(JSON.stringify({ ...json, specVersion: version })),
      });
      expect(facts.specVersion).toBe(version);
      expect(facts.components).toHaveLength(json.components.length);
    },
  );

  it('checks duplicates in linear time, so that large SBOMs validate quickly', async () => {
    // ajv's own uniqueItems compares pairwise: minutes for SBOMs of this size.
    const components = Array.from({ length: 20_000 }, (_, i) => ({
      type: 'library',
      name: `package-${i}`,
      version: '1.0.0',
      purl: `pkg:npm/package-${i}@1.0.0`,
      licenses: [{ license: { id: 'MIT' } }],
    }));
    const started = Date.now();
    const facts = await parseSbom({ content: cdx({ components }, '1.6') });
    expect(facts.components).toHaveLength(20_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('collects nested components depth first', async () => {
    const facts = await parseSbom({
      content: cdx({
        components: [
          {
            type: 'application',
            name: 'a',
            components: [
              {
                type: 'library',
                name: 'b',
                components: [
                  {
                    type: 'library',
                    name: 'c',
                    licenses: [{ expression: 'MIT OR ISC' }],
                  },
                ],
              },
            ],
          },
          {
            type: 'library',
            name: 'd',
            licenses: [{ license: { name: 'Custom' } }],
          },
        ],
      }),
    });
    expect(facts.components).toEqual([
      { name: 'a', licenses: [] },
      { name: 'b', licenses: [] },
      { name: 'c', licenses: ['MIT OR ISC'] },
      { name: 'd', licenses: ['Custom'] },
    ]);
  });

  it('leaves the BOM subject in metadata.component out', async () => {
    const facts = await parseSbom({
      content: cdx({
        metadata: { component: { type: 'application', name: 'the-app' } },
        components: [{ type: 'library', name: 'dep' }],
      }),
    });
    expect(facts.components.map(c => c.name)).toEqual(['dep']);
  });

  it('parses the SPDX example with purls from its external references', async () => {
    const content = read('example11.spdx-2.3.json');
    const json = JSON.parse(content.toString());
    const facts = await parseSbom({ content });
    expect(facts).toMatchObject({ format: 'SPDX', specVersion: '2.3' });
    expect(facts.components.map(c => c.name)).toEqual(
      json.packages.map((p: any) => p.name),
    );
    expect(facts.components.map(c => c.purl)).toEqual(
      json.packages.map((p: any) => p.externalRefs[0].referenceLocator),
    );
    expect(facts.components.find(c => c.name === 'pretty_env_logger')).toEqual({
      name: 'pretty_env_logger',
      version: '0.4.0',
      purl: 'pkg:cargo/pretty_env_logger@0.4.0',
      licenses: ['MIT OR Apache-2.0'],
    });
  });

  it('takes the concluded license, else the declared one, and ignores NOASSERTION', async () => {
    const content = read('examplemaven-0.0.1.spdx-2.3.json');
    const json = JSON.parse(content.toString());
    const facts = await parseSbom({ content });
    expect(facts.components).toHaveLength(json.packages.length);
    expect(facts.components.map(c => c.name)).toEqual(
      json.packages.map((p: any) => p.name),
    );
    // JUnit: concluded NOASSERTION, declared CPL-1.0.
    expect(facts.components[0]).toEqual({
      name: 'JUnit',
      version: '3.8.1',
      licenses: ['CPL-1.0'],
    });
    expect(facts.components[1]).toEqual({
      name: 'Apache Log4j SLF4J Binding',
      licenses: [],
    });
    expect(facts.components.every(c => c.purl === undefined)).toBe(true);
  });

  it('ignores NONE and reads purls under either category spelling', async () => {
    const facts = await parseSbom({
      content: spdx({
        packages: [
          {
            SPDXID: 'SPDXRef-a',
            name: 'a',
            licenseConcluded: 'NONE',
            licenseDeclared: 'NONE',
            externalRefs: [
              {
                referenceCategory: 'SECURITY',
                referenceType: 'cpe23Type',
                referenceLocator: 'cpe:2.3:a:a:a:1:*:*:*:*:*:*:*',
              },
              {
                referenceCategory: 'PACKAGE_MANAGER',
                referenceType: 'purl',
                referenceLocator: 'pkg:npm/a@1',
              },
            ],
          },
        ],
      }),
    });
    expect(facts.components).toEqual([
      { name: 'a', purl: 'pkg:npm/a@1', licenses: [] },
    ]);
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const content = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      read('cern-lhc-vdm-editor.cdx.json'),
    ]);
    await expect(parseSbom({ content })).resolves.toMatchObject({
      specVersion: '1.2',
    });
  });

  describe('refuses', () => {
    const refusal = (content: Buffer | string, maxComponents?: number) =>
      parseSbom({ content: Buffer.from(content), maxComponents }).then(
        () => {
          throw new Error('parsed');
        },
        (error: Error) => error,
      );

    it('malformed JSON, with the position', async () => {
      const error = await refusal(
        '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.4",,\n}',
      );
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        /^The SBOM is not valid JSON: .* at line 3, column 24$/,
      );
    });

    it('XML, saying so', async () => {
      const error = await refusal(
        '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4"/>',
      );
      expect(error.message).toMatch(
        /not valid JSON.*XML SBOMs are not supported/,
      );
    });

    it('JSON that is neither CycloneDX nor SPDX', async () => {
      expect((await refusal('{"name": "package.json, perhaps"}')).message).toBe(
        'The SBOM is neither CycloneDX (no "bomFormat": "CycloneDX") nor SPDX (no "spdxVersion")',
      );
      expect((await refusal('[]')).message).toMatch(
        /neither CycloneDX nor SPDX: it is not a JSON object/,
      );
    });

    it.each([
      [
        cdx({ components: [] }, '1.1'),
        /^CycloneDX 1\.1 is not supported; use CycloneDX JSON 1\.2, 1\.3, 1\.4, 1\.5, 1\.6$/,
      ],
      [cdx({ components: [] }, '2.0'), /^CycloneDX 2\.0 is not supported/],
      [Buffer.from('{"bomFormat": "CycloneDX"}'), /no specVersion/],
      [
        spdx({ spdxVersion: 'SPDX-2.2' }),
        /^SPDX version 'SPDX-2\.2' is not supported; use SPDX-2\.3 JSON$/,
      ],
      [
        Buffer.from(
          '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}',
        ),
        /SPDX 3 is not supported/,
      ],
    ])('unsupported versions (%#)', async (content, message) => {
      const error = await refusal(content);
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(message);
    });

    it('CycloneDX that violates its schema, naming the JSON paths', async () => {
      const error = await refusal(
        cdx({
          components: [
            { type: 'library', name: 'ok' },
            {
              type: 'library',
              version: '1',
              licenses: [{ license: { id: 'Not-A-License' } }],
            },
          ],
        }),
      );
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(
        /^The CycloneDX 1\.4 SBOM does not match the official schema: /,
      );
      expect(error.message).toMatch(
        /\$\.components\[1\]\.(name is required|licenses\[0\]\.license\.id is "Not-A-License")/,
      );
    });

    it('CycloneDX with duplicate components, whatever the key order', async () => {
      const error = await refusal(
        cdx({
          components: [
            { type: 'library', name: 'a', version: '1' },
            { type: 'library', name: 'b' },
            { version: '1', name: 'a', type: 'library' },
          ],
        }),
      );
      expect(error.message).toContain(
        '$.components must not have duplicate items (items 0 and 2 are identical)',
      );
    });

    it('CycloneDX with values in the wrong format', async () => {
      const error = await refusal(
        cdx({
          metadata: { timestamp: 'yesterday' },
          components: [{ type: 'library', name: 'a' }],
        }),
      );
      expect(error.message).toContain(
        '$.metadata.timestamp is "yesterday", which is not a valid date-time',
      );
    });

    it('CycloneDX with an unknown component type', async () => {
      const error = await refusal(
        cdx({ components: [{ type: 'gadget', name: 'x' }] }, '1.6'),
      );
      expect(error.message).toContain(
        '$.components[0].type is "gadget", which is not one of the allowed values',
      );
    });

    it('SPDX that violates the schema, naming the first few paths', async () => {
      const error = await refusal(
        spdx({
          SPDXID: 'document',
          packages: [
            { SPDXID: 'SPDXRef-a' },
            {
              SPDXID: 'SPDXRef-b',
              name: 'b',
              versionInfo: 2,
              externalRefs: [
                {
                  referenceCategory: 'PACKAGE-MANAGER',
                  referenceType: 'purl',
                  referenceLocator: 'npm:b',
                },
              ],
            },
          ],
        }),
      );
      expect(error.name).toBe('InputError');
      expect(error.message).toBe(
        'The SPDX 2.3 SBOM does not match the schema: $.SPDXID is "document", must be "SPDXRef-DOCUMENT"; ' +
          '$.packages[0].name is required; $.packages[1].versionInfo is 2, must be of type string (and 1 more)',
      );
    });

    it('a purl reference that is not a purl', async () => {
      const error = await refusal(
        spdx({
          packages: [
            {
              SPDXID: 'SPDXRef-b',
              name: 'b',
              externalRefs: [
                {
                  referenceCategory: 'PACKAGE-MANAGER',
                  referenceType: 'purl',
                  referenceLocator: 'npm:b',
                },
              ],
            },
          ],
        }),
      );
      expect(error.message).toContain(
        '$.packages[0].externalRefs[0].referenceLocator is "npm:b", which does not match',
      );
    });

    it.each([
      [
        'CycloneDX',
        cdx({ components: [] }),
        'The CycloneDX 1.4 SBOM lists no components',
      ],
      [
        'CycloneDX without components',
        cdx({}),
        'The CycloneDX 1.4 SBOM lists no components',
      ],
      ['SPDX', spdx({ packages: [] }), 'The SPDX 2.3 SBOM lists no components'],
    ])('an empty %s SBOM', async (_, content, message) => {
      expect((await refusal(content)).message).toBe(message);
    });

    it('more components than the bound', async () => {
      const content = read('laravel-7.12.0.cdx-1.4.json');
      const count = JSON.parse(content.toString()).components.length;
      await expect(
        parseSbom({ content, maxComponents: count }),
      ).resolves.toBeDefined();
      const error = await refusal(content, count - 1);
      expect(error.name).toBe('LimitExceededError');
      expect(error.message).toBe(
        `The SBOM lists more components than the limit of ${
          count - 1
        } (marketplace.gates.sbom.maxComponents)`,
      );
    });

    it('more nested components than the bound', async () => {
      const nested = {
        type: 'library',
        name: 'b',
        components: [{ type: 'library', name: 'c' }],
      };
      const error = await refusal(
        cdx({
          components: [{ type: 'library', name: 'a', components: [nested] }],
        }),
        2,
      );
      expect(error.message).toMatch(/more components than the limit of 2 /);
    });
  });

  describe('nesting depth', () => {
    /** Depth the simple way, as a check on the text scan: `{}` is 1. */
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object'
        ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
        : 0;
    /** CycloneDX with components nested `levels` deep, each in the one before. */
    const nestedBom = (levels: number) => {
      let component: any = { type: 'library', name: `c${levels}` };
      for (let level = levels - 1; level > 0; level--) {
        component = {
          type: 'library',
          name: `c${level}`,
          components: [component],
        };
      }
      return {
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        version: 1,
        components: [component],
      };
    };

    it('parses an SBOM exactly maxDepth deep and refuses one level deeper, before parsing', async () => {
      const bom = nestedBom(10);
      const depth = depthOf(bom);
      expect(depth).toBe(21); // bom, then components and component per level
      const content = Buffer.from(JSON.stringify(bom));
      const facts = await parseSbom({ content, maxDepth: depth });
      expect(facts.components).toHaveLength(10);

      const parse = jest.spyOn(JSON, 'parse');
      try {
        const error = await parseSbom({ content, maxDepth: depth - 1 }).catch(
          (e: Error) => e,
        );
        expect(error).toMatchObject({
          name: 'LimitExceededError',
          message: `The SBOM nests objects and arrays deeper than the limit of ${
            depth - 1
          } levels (marketplace.gates.sbom.maxDepth)`,
        });
        expect(parse).not.toHaveBeenCalled();
      } finally {
        parse.mockRestore();
      }
    });

    it('validates components nested up to the default limit: the schema validation does not run out of stack there', async () => {
      // 63 levels of components: 1 + 2 * 63 = 127 levels, one below the default
      const bom = nestedBom(63);
      expect(depthOf(bom)).toBe(DEFAULT_SBOM_MAX_DEPTH - 1);
      const facts = await parseSbom({
        content: Buffer.from(JSON.stringify(bom)),
      });
      expect(facts.components).toHaveLength(63);
      const deeper = Buffer.from(JSON.stringify(nestedBom(64)));
      await expect(parseSbom({ content: deeper })).rejects.toThrow(
        'deeper than the limit of 128 levels (marketplace.gates.sbom.maxDepth)',
      );
    });

    it('refuses 100,000 levels quickly, whatever the format, without a stack overflow', async () => {
      for (const content of [
        `{"bomFormat":"CycloneDX","x":${'['.repeat(100_000)}${']'.repeat(
          100_000,
        )}}`,
        `{"spdxVersion":"SPDX-2.3","x":${'{"a":'.repeat(100_000)}1${'}'.repeat(
          100_000,
        )}}`,
        // unclosed: the depth is over before the end of the text
        '['.repeat(5_000_000),
      ]) {
        const started = Date.now();
        await expect(
          parseSbom({ content: Buffer.from(content) }),
        ).rejects.toThrow('deeper than the limit of 128 levels');
        expect(Date.now() - started).toBeLessThan(1000);
      }
    });
  });
});
