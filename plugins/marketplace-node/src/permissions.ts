import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  MICRO_APP_RESOURCE_TYPE,
  TierId,
} from '@microapps/plugin-marketplace-common';
import { z } from 'zod';

/**
 * What permission rules see of a MicroApp. Entity refs are in lower case, as the catalog
 * writes relation targets.
 *
 * @public
 */
export interface MicroAppResource {
  /** The app's entity ref. */
  entityRef: string;
  /** The owner (`spec.owner`), and whatever else owns it. */
  owners: string[];
  /** The effective tier, or `expired`. */
  tier: TierId | 'expired';
  /** The submitter of the open promotion, if one is open. */
  submitter?: string;
  /**
   * The human stages of the open promotion's current revision. Whether a stage still waits
   * is the workflow's business (a second decision is a 409, not a 403).
   */
  requestStages: string[];
  /** Reviewer groups of every configured stage (`marketplace.reviewers`). */
  reviewers: Record<string, string[]>;
}

/**
 * A filter that rules produce for queries (`toQuery`): a key of {@link MicroAppResource} and
 * the values any of which matches. `reviewer` matches members of a stage's groups (`stage`),
 * or of the groups of any stage of the open request.
 *
 * @public
 */
export type MicroAppFilter =
  | { key: 'owner' | 'tier' | 'submitter'; values: string[] }
  | { key: 'reviewer'; values: string[]; stage?: string };

/** The permission resource of MicroApps, owned by the marketplace backend. @public */
export const microAppPermissionResourceRef = createPermissionResourceRef<
  MicroAppResource,
  MicroAppFilter
>().with({ pluginId: 'marketplace', resourceType: MICRO_APP_RESOURCE_TYPE });

const lower = (values: string[]) =>
  values.map(v => v.toLocaleLowerCase('en-US'));

const claimsSchema = z
  .array(z.string())
  .describe(
    'Entity refs of the user and every group they belong to, nested groups included',
  );

const isAppOwner = createPermissionRule({
  name: 'IS_APP_OWNER',
  description: 'Allow when one of the claims owns the app',
  resourceRef: microAppPermissionResourceRef,
  paramsSchema: z.object({ claims: claimsSchema }),
  apply: (resource, { claims }) =>
    lower(claims).some(c => resource.owners.includes(c)),
  toQuery: ({ claims }) => ({ key: 'owner', values: lower(claims) }),
});

const isStageReviewer = createPermissionRule({
  name: 'IS_STAGE_REVIEWER',
  description:
    "Allow members of a stage's reviewer groups (of any stage of the open request, when no stage is given)",
  resourceRef: microAppPermissionResourceRef,
  paramsSchema: z.object({
    claims: claimsSchema,
    stage: z.string().optional().describe('A stage id, e.g. security'),
  }),
  apply: (resource, { claims, stage }) => {
    const stages = stage ? [stage] : resource.requestStages;
    const groups = new Set(stages.flatMap(s => resource.reviewers[s] ?? []));
    return lower(claims).some(c => groups.has(c));
  },
  toQuery: ({ claims, stage }) => ({
    key: 'reviewer',
    values: lower(claims),
    ...(stage && { stage }),
  }),
});

const isNotSubmitter = createPermissionRule({
  name: 'IS_NOT_SUBMITTER',
  description:
    "Allow unless one of the claims submitted the app's open promotion",
  resourceRef: microAppPermissionResourceRef,
  paramsSchema: z.object({ claims: claimsSchema }),
  apply: (resource, { claims }) =>
    !resource.submitter || !lower(claims).includes(resource.submitter),
  toQuery: ({ claims }): PermissionCriteria<MicroAppFilter> => ({
    not: { key: 'submitter', values: lower(claims) },
  }),
});

const hasTier = createPermissionRule({
  name: 'HAS_TIER',
  description: 'Allow when the app is in one of the given tiers',
  resourceRef: microAppPermissionResourceRef,
  paramsSchema: z.object({
    tiers: z
      .array(z.enum(['discover', 'vetted', 'enterprise', 'expired']))
      .describe('Effective tiers'),
  }),
  apply: (resource, { tiers }) => tiers.includes(resource.tier),
  toQuery: ({ tiers }) => ({ key: 'tier', values: tiers }),
});

/** The permission rules of MicroApps. @public */
export const microAppPermissionRules = {
  isAppOwner,
  isStageReviewer,
  isNotSubmitter,
  hasTier,
};

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: microAppPermissionResourceRef,
  rules: microAppPermissionRules,
});

/**
 * Conditions over MicroApps for permission policies, one per rule of
 * {@link microAppPermissionRules}.
 *
 * @public
 */
export const microAppConditions = conditions;

/**
 * Returns a conditional decision over MicroApps from a permission policy, built from
 * {@link microAppConditions}.
 *
 * @public
 */
export const createMicroAppConditionalDecision = createConditionalDecision;

/**
 * True when the resource matches criteria built by the rules' `toQuery`: how stores and lists
 * apply a conditional decision to resources they have already loaded.
 *
 * @public
 */
export function matchesMicroAppCriteria(
  resource: MicroAppResource,
  criteria: PermissionCriteria<MicroAppFilter>,
): boolean {
  if ('allOf' in criteria) {
    return criteria.allOf.every(c => matchesMicroAppCriteria(resource, c));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(c => matchesMicroAppCriteria(resource, c));
  }
  if ('not' in criteria) {
    return !matchesMicroAppCriteria(resource, criteria.not);
  }
  switch (criteria.key) {
    case 'owner':
      return criteria.values.some(v => resource.owners.includes(v));
    case 'tier':
      return criteria.values.includes(resource.tier);
    case 'submitter':
      return (
        !!resource.submitter && criteria.values.includes(resource.submitter)
      );
    case 'reviewer':
      return isStageReviewer.apply(resource, {
        claims: criteria.values,
        stage: criteria.stage,
      });
    default:
      return false;
  }
}
