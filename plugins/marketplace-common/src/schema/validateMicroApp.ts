import { parseEntityRef } from '@backstage/catalog-model';
import { microAppEntitySchema } from './microAppSchema';
import { createAjv, formatErrors } from './formatErrors';
import type { MicroAppEntityV1alpha1 } from '../types';

/** The outcome of {@link validateMicroAppEntity}. @public */
export type MicroAppValidationResult =
  | { valid: true; entity: MicroAppEntityV1alpha1 }
  | { valid: false; errors: string[] };

const validate = createAjv().compile(microAppEntitySchema);

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
