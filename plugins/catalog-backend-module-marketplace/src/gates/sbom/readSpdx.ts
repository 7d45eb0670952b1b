import { InputError } from '@backstage/errors';
import type { SbomComponent } from '@microapps/plugin-marketplace-node';
import Ajv, { type ValidateFunction } from 'ajv';
import { addBounded, toSbomComponent } from './components';
import { formatSchemaErrors } from './formatSchemaErrors';
import { SPDX_2_3_SCHEMA, type SpdxDocument } from './spdxSchema';

// SPDX values that say nothing about the license.
const NO_LICENSE = new Set(['NOASSERTION', 'NONE']);

let validator: ValidateFunction | undefined;

function meaningful(license: string | undefined): string | undefined {
  const trimmed = license?.trim();
  return trimmed && !NO_LICENSE.has(trimmed) ? trimmed : undefined;
}

/**
 * Validates an SPDX 2.3 JSON document and lists its packages as components.
 *
 * @internal
 */
export function readSpdx(options: {
  document: unknown;
  maxComponents: number;
}): {
  specVersion: string;
  components: SbomComponent[];
} {
  const { document, maxComponents } = options;
  validator ??= new Ajv({ allErrors: true }).compile(SPDX_2_3_SCHEMA);
  if (!validator(document)) {
    const { lines, total } = formatSchemaErrors({
      errors: validator.errors ?? [],
      document,
    });
    throw new InputError(
      `The SPDX 2.3 SBOM does not match the schema: ${lines.join('; ')}${
        total > lines.length ? ` (and ${total - lines.length} more)` : ''
      }`,
    );
  }
  const spdx = document as SpdxDocument;
  const components: SbomComponent[] = [];
  for (const pkg of spdx.packages ?? []) {
    // The concluded license is the reviewed one; the declared one is what the author said.
    const license =
      meaningful(pkg.licenseConcluded) ?? meaningful(pkg.licenseDeclared);
    const purl = pkg.externalRefs?.find(
      ref => ref.referenceType === 'purl',
    )?.referenceLocator;
    addBounded({
      components,
      maxComponents,
      component: toSbomComponent({
        name: pkg.name,
        version: pkg.versionInfo,
        purl,
        licenses: license ? [license] : [],
      }),
    });
  }
  return { specVersion: '2.3', components };
}
