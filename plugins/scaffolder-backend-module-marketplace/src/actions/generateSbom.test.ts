import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { parse } from 'yaml';
import { createActionContext, outputsOf } from '../__testUtils__/actionContext';
import { npmRegistry } from '../__testUtils__/npmRegistry';
import { createGenerateSbomAction } from './generateSbom';

const UI_TARBALL = `${npmRegistry()}@acme/ui/-/ui-2.1.0.tgz`;

const MS_INTEGRITY =
  'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';

const lockfile = {
  name: 'expense-helper',
  version: '0.1.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': {
      name: 'expense-helper',
      version: '0.1.0',
      license: 'MIT',
      workspaces: ['packages/*'],
      dependencies: { '@acme/ui': '^2.0.0', 'express-lite': '^1.0.0' },
      devDependencies: { 'jest-lite': '^29.0.0' },
    },
    'node_modules/@acme/ui': {
      version: '2.1.0',
      resolved: UI_TARBALL,
      license: '(MIT OR Apache-2.0)',
      dependencies: { ms: '^2.1.0', 'odd-license': '^1.0.0' },
    },
    'node_modules/express-lite': {
      version: '1.2.3',
      license: 'BSD-3-Clause',
      dependencies: { ms: '2.0.0' },
    },
    'node_modules/express-lite/node_modules/ms': {
      version: '2.0.0',
      license: 'MIT',
    },
    'node_modules/ms': {
      version: '2.1.3',
      integrity: MS_INTEGRITY,
      license: 'MIT',
    },
    'node_modules/odd-license': {
      version: '1.0.0',
      license: 'SEE LICENSE IN LICENSE.txt',
      optional: true,
    },
    'node_modules/jest-lite': {
      version: '29.0.0',
      dev: true,
      license: 'MIT',
      dependencies: { ms: '^2.1.0' },
    },
    'node_modules/my-lib': { resolved: 'packages/my-lib', link: true },
    'packages/my-lib': { name: 'my-lib', version: '0.0.1' },
  },
};

const manifest = `# written by marketplace:manifest:write
apiVersion: microapps.dev/v1alpha1
kind: MicroApp
metadata:
  name: expense-helper
  annotations:
    microapps.dev/sbom: ./sbom.cdx.json
spec:
  type: web-app
`;

describe('marketplace:sbom:generate', () => {
  const workspace = createMockDirectory();
  const action = createGenerateSbomAction();

  beforeEach(() =>
    workspace.setContent({
      'package-lock.json': JSON.stringify(lockfile),
      'catalog-info.yaml': manifest,
    }),
  );

  const run = async (input: object = {}, isDryRun?: boolean) => {
    const ctx = createActionContext({
      input,
      workspacePath: workspace.path,
      isDryRun,
    });
    await action.handler(ctx);
    return ctx;
  };
  const readJson = (file: string) =>
    JSON.parse(readFileSync(workspace.resolve(file), 'utf8'));

  it('writes a valid CycloneDX 1.5 SBOM of the non-dev packages and records its hash', async () => {
    const ctx = await run();
    const text = readFileSync(workspace.resolve('sbom.cdx.json'), 'utf8');
    const sha256 = createHash('sha256').update(text).digest('hex');
    expect(outputsOf(ctx)).toEqual({
      sbomPath: 'sbom.cdx.json',
      sha256,
      components: 5,
    });
    await expect(
      new Validation.JsonStrictValidator(Spec.Version.v1dot5).validate(text),
    ).resolves.toBeNull();

    const bom = JSON.parse(text);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    expect(bom.metadata.component).toMatchObject({
      type: 'application',
      name: 'expense-helper',
      version: '0.1.0',
      purl: 'pkg:npm/expense-helper@0.1.0',
      licenses: [{ license: { id: 'MIT' } }],
    });
    const byPurl = Object.fromEntries(
      bom.components.map((c: any) => [c.purl, c]),
    );
    expect(Object.keys(byPurl).sort()).toEqual([
      'pkg:npm/%40acme/ui@2.1.0',
      'pkg:npm/express-lite@1.2.3',
      'pkg:npm/ms@2.0.0',
      'pkg:npm/ms@2.1.3',
      'pkg:npm/odd-license@1.0.0',
    ]);
    expect(byPurl['pkg:npm/%40acme/ui@2.1.0']).toMatchObject({
      group: '@acme',
      name: 'ui',
      licenses: [{ expression: '(MIT OR Apache-2.0)' }],
      externalReferences: [
        {
          type: 'distribution',
          url: UI_TARBALL,
        },
      ],
    });
    expect(byPurl['pkg:npm/express-lite@1.2.3'].licenses).toEqual([
      { license: { id: 'BSD-3-Clause' } },
    ]);
    expect(byPurl['pkg:npm/odd-license@1.0.0']).toMatchObject({
      scope: 'optional',
      licenses: [{ license: { name: 'SEE LICENSE IN LICENSE.txt' } }],
    });
    expect(byPurl['pkg:npm/ms@2.1.3'].hashes).toEqual([
      {
        alg: 'SHA-512',
        content: Buffer.from(MS_INTEGRITY.slice(7), 'base64').toString('hex'),
      },
    ]);
    const dependsOn = Object.fromEntries(
      bom.dependencies.map((d: any) => [d.ref, d.dependsOn ?? []]),
    );
    expect(dependsOn['pkg:npm/expense-helper@0.1.0']).toEqual([
      'pkg:npm/%40acme/ui@2.1.0',
      'pkg:npm/express-lite@1.2.3',
    ]);
    expect(dependsOn['pkg:npm/express-lite@1.2.3']).toEqual([
      'pkg:npm/ms@2.0.0',
    ]);
    expect(dependsOn['pkg:npm/%40acme/ui@2.1.0']).toEqual([
      'pkg:npm/ms@2.1.3',
      'pkg:npm/odd-license@1.0.0',
    ]);

    const written = readFileSync(
      workspace.resolve('catalog-info.yaml'),
      'utf8',
    );
    expect(written).toContain('# written by marketplace:manifest:write');
    expect(parse(written).metadata.annotations).toEqual({
      'microapps.dev/sbom': './sbom.cdx.json',
      'microapps.dev/sbom-sha256': sha256,
    });
  });

  it('lists development packages when asked', async () => {
    const ctx = await run({ includeDev: true, output: 'out/bom.json' });
    expect(outputsOf(ctx)).toMatchObject({
      sbomPath: 'out/bom.json',
      components: 6,
    });
    const bom = readJson('out/bom.json');
    expect(bom.components.map((c: any) => c.name)).toContain('jest-lite');
    expect(
      parse(readFileSync(workspace.resolve('catalog-info.yaml'), 'utf8'))
        .metadata.annotations['microapps.dev/sbom'],
    ).toBe('./out/bom.json');
  });

  it('refuses a workspace without a lockfile', async () => {
    workspace.setContent({ 'catalog-info.yaml': manifest });
    await expect(run()).rejects.toThrow(
      'lockfile: no package-lock.json in the workspace: an npm skeleton must commit its lockfile',
    );
  });

  it('refuses a lockfile v1 and one that is not JSON', async () => {
    workspace.addContent({
      'package-lock.json': JSON.stringify({ lockfileVersion: 1 }),
    });
    await expect(run()).rejects.toThrow(
      'lockfile package-lock.json is not an npm lockfile v2 or v3',
    );
    workspace.addContent({ 'package-lock.json': '{' });
    await expect(run()).rejects.toThrow(
      'lockfile package-lock.json is not valid JSON',
    );
  });

  it('refuses paths outside the workspace and a missing manifest', async () => {
    await expect(run({ output: '../sbom.json' })).rejects.toThrow(
      "output must be a path inside the workspace, got '../sbom.json'",
    );
    workspace.setContent({ 'package-lock.json': JSON.stringify(lockfile) });
    await expect(run()).rejects.toThrow(
      /manifest: there is no .*catalog-info.yaml; marketplace:manifest:write writes it/,
    );
  });

  it('works the same in a dry run, where it only writes into the workspace', async () => {
    const ctx = await run({}, true);
    expect(outputsOf(ctx)).toMatchObject({ components: 5 });
    expect(readJson('sbom.cdx.json').components).toHaveLength(5);
  });
});
