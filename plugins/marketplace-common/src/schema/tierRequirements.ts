import type { ValidateFunction } from 'ajv';
import type { TierId } from '../tiers';
import { createAjv, formatErrors } from './formatErrors';

const justified = {
  type: 'array',
  items: {
    type: 'object',
    required: ['justification'],
    properties: { justification: { type: 'string', minLength: 1 } },
  },
};

/**
 * What the submission manifest must hold at each tier, on top of the kind's schema. The
 * `metadata` gate checks it; each tier's list includes the lower tiers'.
 *
 * @public
 */
export const tierRequirementSchemas: Record<TierId, object> = {
  discover: {
    type: 'object',
    required: ['support', 'data'],
    properties: {
      support: { type: 'object', required: ['contact'] },
      data: { type: 'object', required: ['classification'] },
      permissions: justified,
    },
  },
  vetted: {
    type: 'object',
    required: ['support', 'data'],
    properties: {
      support: { type: 'object', required: ['contact', 'roster', 'slaTier'] },
      data: {
        type: 'object',
        required: ['classification', 'residency'],
        properties: { residency: { type: 'array', minItems: 1 } },
      },
      permissions: justified,
    },
  },
  enterprise: {
    type: 'object',
    required: ['support', 'data'],
    properties: {
      support: {
        type: 'object',
        required: ['contact', 'roster', 'slaTier', 'runbook'],
      },
      data: {
        type: 'object',
        required: ['classification', 'residency'],
        properties: { residency: { type: 'array', minItems: 1 } },
      },
      permissions: justified,
    },
  },
};

const ajv = createAjv({ strictRequired: false });
const validators = new Map<TierId, ValidateFunction>();

/**
 * Lists what the app's `spec` lacks for the tier, one sentence per field, e.g.
 * `spec.support.roster is required`.
 *
 * @public
 */
export function checkTierRequirements(spec: unknown, tier: TierId): string[] {
  let validate = validators.get(tier);
  if (!validate) {
    validate = ajv.compile(tierRequirementSchemas[tier]);
    validators.set(tier, validate);
  }
  if (validate(spec)) {
    return [];
  }
  // the requirements apply to `spec`; name fields from the entity's root
  return formatErrors(validate.errors ?? []).map(m =>
    m.startsWith('entity ') ? `spec ${m.slice(7)}` : `spec.${m}`,
  );
}
