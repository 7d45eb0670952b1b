import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

/** An ajv instance configured for our schemas: all errors, with the failing schema. */
export function createAjv(options: { strictRequired?: boolean } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: options.strictRequired ?? true,
  });
  addFormats(ajv, ['uri', 'email']);
  return ajv;
}

/** `/spec/permissions/0/scope` becomes `spec.permissions[0].scope`. */
function toFieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => {
      if (/^\d+$/.test(part)) return `${acc}[${part}]`;
      return acc ? `${acc}.${part}` : part;
    }, '');
}

const ARTICLES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** Describes what a field must be, from its schema: "a number >= 0", "one of: S1, S2, S3". */
function describeSchema(schema: any): string {
  if (schema.const !== undefined) return `'${schema.const}'`;
  if (schema.enum) return `one of: ${schema.enum.join(', ')}`;
  if (schema.format)
    return `a valid ${schema.format === 'uri' ? 'URL' : schema.format}`;
  let text = ARTICLES[schema.type] ?? 'valid';
  if (schema.type === 'string' && schema.minLength === 1)
    text = 'a non-empty string';
  if (schema.type === 'array' && schema.minItems === 1)
    text = 'a non-empty list';
  if (schema.minimum !== undefined) text += ` >= ${schema.minimum}`;
  if (schema.maximum !== undefined) text += ` <= ${schema.maximum}`;
  return text;
}

/** Turns ajv errors into one sentence per field, naming the field. */
export function formatErrors(errors: ErrorObject[]): string[] {
  const messages = new Set<string>();
  const describedPaths = new Set<string>();
  for (const error of errors) {
    const path = toFieldPath(error.instancePath);
    if (error.keyword === 'required') {
      const field = (error.params as { missingProperty: string })
        .missingProperty;
      messages.add(`${path ? `${path}.` : ''}${field} is required`);
    } else if (error.keyword === 'additionalProperties') {
      const field = (error.params as { additionalProperty: string })
        .additionalProperty;
      messages.add(
        `${
          path ? `${path}.` : ''
        }${field} is not a known field of the MicroApp kind`,
      );
    } else if (!describedPaths.has(path)) {
      // several keywords can fail for one field; one sentence per field reads better
      describedPaths.add(path);
      messages.add(
        `${path || 'entity'} must be ${describeSchema(
          error.parentSchema ?? {},
        )}`,
      );
    }
  }
  return [...messages];
}
