import { InputError } from '@backstage/errors';
import { Version } from '@cyclonedx/cyclonedx-library/Spec';
import type { SbomComponent } from '@microapps/plugin-marketplace-node';
import { addBounded, toSbomComponent } from './components';
import { getCycloneDxValidator } from './cycloneDxValidator';
import { formatSchemaErrors } from './formatSchemaErrors';

/**
 * CycloneDX versions whose official JSON schema (shipped in @cyclonedx/cyclonedx-library)
 * the SBOM is validated against.
 *
 * @internal
 */
export const CYCLONEDX_VERSIONS: readonly string[] = Object.freeze([
  Version.v1dot2,
  Version.v1dot3,
  Version.v1dot4,
  Version.v1dot5,
  Version.v1dot6,
]);

interface CycloneDxLicenseChoice {
  license?: { id?: string; name?: string };
  expression?: string;
}

interface CycloneDxComponent {
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  licenses?: CycloneDxLicenseChoice[];
  components?: CycloneDxComponent[];
}

function licensesOf(component: CycloneDxComponent): string[] {
  const licenses: string[] = [];
  for (const choice of component.licenses ?? []) {
    // A name is kept as written; the licenses gate reads it as a non-SPDX name unless it
    // happens to be a valid SPDX expression.
    const value =
      choice.expression ?? choice.license?.id ?? choice.license?.name;
    if (value?.trim()) licenses.push(value.trim());
  }
  return licenses;
}

// The BOM's own subject (`metadata.component`) is the app, not a dependency: left out.
/**
 * Validates a CycloneDX JSON document against its version's official schema and lists its components, nested ones included.
 *
 * @internal
 */
export async function readCycloneDx(options: {
  document: Record<string, unknown>;
  maxComponents: number;
}): Promise<{ specVersion: string; components: SbomComponent[] }> {
  const { document, maxComponents } = options;
  const specVersion = document.specVersion;
  if (typeof specVersion !== 'string') {
    throw new InputError('The CycloneDX SBOM has no specVersion');
  }
  if (!CYCLONEDX_VERSIONS.includes(specVersion)) {
    throw new InputError(
      `CycloneDX ${specVersion} is not supported; use CycloneDX JSON ${CYCLONEDX_VERSIONS.join(
        ', ',
      )}`,
    );
  }
  const validate = await getCycloneDxValidator({ specVersion });
  let valid: boolean;
  try {
    valid = validate(document) as boolean;
  } catch (error) {
    // The schema recurses into nested components; absurd nesting exhausts the stack.
    if (error instanceof RangeError) {
      throw new InputError(
        'The CycloneDX SBOM is nested too deeply to validate',
      );
    }
    throw error;
  }
  if (!valid) {
    const { lines, total } = formatSchemaErrors({
      errors: validate.errors ?? [],
      document,
    });
    throw new InputError(
      `The CycloneDX ${specVersion} SBOM does not match the official schema: ${lines.join(
        '; ',
      )}${total > lines.length ? ` (and ${total - lines.length} more)` : ''}`,
    );
  }

  const components: SbomComponent[] = [];
  // Depth first in document order, without recursion: nesting depth is the author's choice.
  const stack = [
    ...((document.components as CycloneDxComponent[] | undefined) ?? []),
  ].reverse();
  while (stack.length) {
    const component = stack.pop()!;
    addBounded({
      components,
      maxComponents,
      component: toSbomComponent({
        // The group is the purl namespace (npm scope, Maven groupId, Composer vendor).
        name: component.group
          ? `${component.group}/${component.name}`
          : component.name,
        version: component.version,
        purl: component.purl,
        licenses: licensesOf(component),
      }),
    });
    stack.push(...[...(component.components ?? [])].reverse());
  }
  return { specVersion, components };
}
