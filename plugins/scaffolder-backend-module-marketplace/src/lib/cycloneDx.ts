import {
  Contrib,
  Enums,
  Models,
  Serialize,
  Spec,
} from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import parseSpdxExpression from 'spdx-expression-parse';
import type { NpmLockfile } from './npmLockfile';

/**
 * The npm package URL of a package: `pkg:npm/%40scope/name@version`
 * (https://github.com/package-url/purl-spec/blob/master/PURL-TYPES.rst#npm).
 */
export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  return new PackageURL(
    'npm',
    slash === -1 ? undefined : name.slice(0, slash),
    slash === -1 ? name : name.slice(slash + 1),
    version,
  ).toString();
}

/** Throws unless the expression is valid SPDX (ids, LicenseRef-, AND/OR/WITH, parentheses). */
function validateSpdxExpression(expression: string): void {
  parseSpdxExpression(expression);
}

// An SPDX id when the lockfile names one, else an SPDX expression, else a named license.
const licenseFactory = new Contrib.License.Factories.LicenseFactory(
  validateSpdxExpression,
);

function makeComponent(options: {
  type: Enums.ComponentType;
  name: string;
  version?: string;
  license?: string;
}): Models.Component {
  const { name, version, license } = options;
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const purl = version ? npmPurl(name, version) : undefined;
  const component = new Models.Component(
    options.type,
    slash === -1 ? name : name.slice(slash + 1),
    {
      group: slash === -1 ? undefined : name.slice(0, slash),
      version,
      purl,
      bomRef: purl ?? `app:${name}`,
    },
  );
  if (license) component.licenses.add(licenseFactory.makeFromString(license));
  return component;
}

/**
 * Builds a CycloneDX BOM of the packages of a lockfile: the app is `metadata.component`, each
 * distinct package (name and version) a library component with its purl, declared license
 * and integrity hash, and the dependency graph as the lockfile resolves it.
 */
export function createNpmBom(options: {
  lockfile: NpmLockfile;
  /** The app's name when the lockfile's root has none. */
  appName: string;
  timestamp?: Date;
}): { bom: Models.Bom; components: number } {
  const { lockfile } = options;
  const bom = new Models.Bom();
  bom.serialNumber = Contrib.Bom.Utils.randomSerialNumber();
  bom.metadata.timestamp = options.timestamp ?? new Date();
  bom.metadata.tools.components.add(
    new Models.Component(
      Enums.ComponentType.Application,
      'scaffolder-backend-module-marketplace',
      { group: '@microapps' },
    ),
  );
  const app = makeComponent({
    type: Enums.ComponentType.Application,
    name: lockfile.root.name ?? options.appName,
    version: lockfile.root.version,
    license: lockfile.root.license,
  });
  bom.metadata.component = app;

  // The same name and version may sit at several places of the tree: one component each.
  const byPath = new Map<string, Models.Component>();
  const byPurl = new Map<string, Models.Component>();
  for (const pkg of lockfile.packages) {
    const purl = npmPurl(pkg.name, pkg.version);
    let component = byPurl.get(purl);
    if (!component) {
      component = makeComponent({
        type: Enums.ComponentType.Library,
        name: pkg.name,
        version: pkg.version,
        license: pkg.license,
      });
      if (pkg.integrity) {
        try {
          component.hashes.set(
            ...Contrib.FromNodePackageJson.Utils.parsePackageIntegrity(
              pkg.integrity,
            ),
          );
        } catch {
          // an integrity the library cannot read is left out, not guessed
        }
      }
      if (pkg.resolved && /^https?:\/\//.test(pkg.resolved)) {
        component.externalReferences.add(
          new Models.ExternalReference(
            pkg.resolved,
            Enums.ExternalReferenceType.Distribution,
          ),
        );
      }
      component.scope = pkg.optional
        ? Enums.ComponentScope.Optional
        : Enums.ComponentScope.Required;
      byPurl.set(purl, component);
      bom.components.add(component);
    } else if (!pkg.optional) {
      component.scope = Enums.ComponentScope.Required;
    }
    byPath.set(pkg.path, component);
  }
  const addDependencies = (from: Models.Component, paths: string[]) => {
    for (const path of paths) {
      const to = byPath.get(path);
      if (to && to !== from) from.dependencies.add(to.bomRef);
    }
  };
  addDependencies(app, lockfile.root.dependencies);
  for (const pkg of lockfile.packages) {
    addDependencies(byPath.get(pkg.path)!, pkg.dependencies);
  }
  return { bom, components: byPurl.size };
}

/** Serialises a BOM as CycloneDX 1.5 JSON, lists sorted so equal inputs give equal files. */
export function serializeBom(bom: Models.Bom): string {
  const serializer = new Serialize.JsonSerializer(
    new Serialize.JSON.Normalize.Factory(Spec.Spec1dot5),
  );
  return `${serializer.serialize(bom, { sortLists: true, space: 2 })}\n`;
}
