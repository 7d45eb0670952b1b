import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { parseEntityRef } from '@backstage/catalog-model';
import { microAppEntitySchema } from './microAppSchema';
import type { MicroAppEntityV1alpha1 } from '../types';

/** The outcome of {@link validateMicroAppEntity}. @public */
export type MicroAppValidationResult =
  | { valid: true; entity: MicroAppEntityV1alpha1 }
  | { valid: false; errors: string[] };

const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  strict: true,
  strictTypes: false,
});
addFormats(ajv, ['uri', 'email']);
const validate = ajv.compile(microAppEntitySchema);

/** Entity-ref fields and the kind a bare name in them defaults to. */
const REF_FIELDS: Array<{
  path: string;
  get: (s: any) => unknown;
  defaultKind: string;
}> = [
  { path: 'spec.owner', get: s => s.owner, defaultKind: 'group' },
  { path: 'spec.template', get: s => s.template, defaultKind: 'template' },
  {
    path: 'spec.support.roster',
    get: s => s.support?.roster,
    defaultKind: 'group',
  },
];
const REF_LIST_FIELDS: Array<{
  path: string;
  get: (s: any) => unknown;
  defaultKind: string;
}> = [
  { path: 'spec.audience', get: s => s.audience, defaultKind: 'group' },
  { path: 'spec.dependsOn', get: s => s.dependsOn, defaultKind: 'component' },
];

/**
 * Validates an entity against the MicroApp kind. Each error names the field, e.g.
 * `spec.cost.monthlyForecast must be a number >= 0`.
 *
 * @public
 */
export function validateMicroAppEntity(
  entity: unknown,
): MicroAppValidationResult {
  const errors: string[] = [];
  if (!validate(entity)) {
    errors.push(...formatErrors(validate.errors ?? []));
  } else {
    errors.push(...checkEntityRefs((entity as MicroAppEntityV1alpha1).spec));
  }
  return errors.length
    ? { valid: false, errors }
    : { valid: true, entity: entity as MicroAppEntityV1alpha1 };
}

function checkEntityRefs(spec: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const check = (path: string, value: unknown, defaultKind: string) => {
    try {
      parseEntityRef(value as string, {
        defaultKind,
        defaultNamespace: 'default',
      });
    } catch (e) {
      errors.push(
        `${path} must be an entity ref such as ${defaultKind}:default/name, got '${value}'`,
      );
    }
  };
  for (const f of REF_FIELDS) {
    const value = f.get(spec);
    if (value !== undefined) check(f.path, value, f.defaultKind);
  }
  for (const f of REF_LIST_FIELDS) {
    const values = f.get(spec) as unknown[] | undefined;
    values?.forEach((v, i) => check(`${f.path}[${i}]`, v, f.defaultKind));
  }
  return errors;
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
  if (schema.minimum !== undefined) text += ` >= ${schema.minimum}`;
  if (schema.maximum !== undefined) text += ` <= ${schema.maximum}`;
  return text;
}

function formatErrors(errors: ErrorObject[]): string[] {
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
