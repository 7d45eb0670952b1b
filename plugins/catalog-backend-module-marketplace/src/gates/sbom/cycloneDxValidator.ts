import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Ajv, { type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

// Stands in for `uniqueItems`, which ajv checks pairwise: quadratic in the component count.
const UNIQUE_ITEMS = 'x-uniqueItemsLinear';

// The schemas that the BOM schemas `$ref`, under the URLs the refs resolve to.
const REFERENCED_SCHEMAS: Record<string, string> = {
  'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json':
    'spdx.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json':
    'jsf-0.82.SNAPSHOT.schema.json',
};

const validators = new Map<string, Promise<ValidateFunction>>();

function schemaDir(): string {
  return path.join(
    path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')),
    'res',
    'schema',
  );
}

async function readSchema(file: string): Promise<any> {
  return JSON.parse(await readFile(path.join(schemaDir(), file), 'utf8'));
}

// JSON with sorted keys, so that equal values (as JSON Schema defines it) give equal text.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    return `{${Object.keys(object)
      .sort()
      .map(key => `${JSON.stringify(key)}:${canonicalJson(object[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const uniqueItems: SchemaValidateFunction = (
  schema: boolean,
  data: unknown[],
) => {
  if (!schema) return true;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const key = canonicalJson(data[i]);
    const first = seen.get(key);
    if (first !== undefined) {
      uniqueItems.errors = [
        {
          keyword: 'uniqueItems',
          message: `must not have duplicate items (items ${first} and ${i} are identical)`,
          params: { i: first, j: i },
        },
      ];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

function replaceUniqueItems(schema: unknown): void {
  if (Array.isArray(schema)) {
    schema.forEach(replaceUniqueItems);
  } else if (schema && typeof schema === 'object') {
    const object = schema as Record<string, unknown>;
    if ('uniqueItems' in object) {
      object[UNIQUE_ITEMS] = object.uniqueItems;
      delete object.uniqueItems;
    }
    Object.values(object).forEach(replaceUniqueItems);
  }
}

async function compile(specVersion: string): Promise<ValidateFunction> {
  const [bom, ...referenced] = await Promise.all([
    readSchema(`bom-${specVersion}.SNAPSHOT.schema.json`),
    ...Object.values(REFERENCED_SCHEMAS).map(readSchema),
  ]);
  const ajv = new Ajv({
    allErrors: true,
    // The official schemas use `$id`s and keywords that strict mode refuses.
    strict: false,
    addUsedSchema: false,
  });
  addFormats(ajv);
  // Formats ajv-formats lacks: the library's own validator waves iri-reference through too.
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addKeyword({
    keyword: UNIQUE_ITEMS,
    type: 'array',
    schemaType: 'boolean',
    errors: true,
    validate: uniqueItems,
  });
  Object.keys(REFERENCED_SCHEMAS).forEach((url, i) =>
    ajv.addSchema(referenced[i], url),
  );
  replaceUniqueItems(bom);
  return ajv.compile(bom);
}

// Duplicates (`uniqueItems`) are found in linear time: ajv's pairwise comparison takes
// half a minute on an SBOM of 13,000 components, blocking the event loop all along.
/**
 * The validator for one CycloneDX version, compiled once from the official JSON schema that
 * the CycloneDX library ships.
 *
 * @internal
 */
export function getCycloneDxValidator(options: {
  specVersion: string;
}): Promise<ValidateFunction> {
  const { specVersion } = options;
  let validator = validators.get(specVersion);
  if (!validator) {
    validator = compile(specVersion);
    // A failed compile (e.g. a missing file) should be retried, not remembered.
    validator.catch(() => validators.delete(specVersion));
    validators.set(specVersion, validator);
  }
  return validator;
}
