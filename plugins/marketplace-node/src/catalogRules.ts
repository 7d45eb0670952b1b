import { createPermissionRule } from '@backstage/plugin-permission-node';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { createConditionFactory } from '@backstage/plugin-permission-node';
import { LABEL_TIER } from '@microapps/plugin-marketplace-common';
import { z } from 'zod';

/** Catalog rule: the entity's `microapps.dev/tier` label is one of the given tiers. @public */
export const hasMicroAppTier = createPermissionRule({
  name: 'HAS_MICRO_APP_TIER',
  description: 'Allow MicroApps whose effective tier is one of the given tiers',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    tiers: z
      .array(z.enum(['discover', 'vetted', 'enterprise', 'expired']))
      .describe('Effective tiers'),
  }),
  apply: (entity, { tiers }) =>
    tiers.includes(entity.metadata.labels?.[LABEL_TIER] as never),
  toQuery: ({ tiers }) => ({
    key: `metadata.labels.${LABEL_TIER}`,
    values: tiers,
  }),
});

/** Catalog rule: one of the claims is in the MicroApp's `spec.audience`. @public */
export const isInMicroAppAudience = createPermissionRule({
  name: 'IS_IN_MICRO_APP_AUDIENCE',
  description:
    "Allow users named, or in a group named, in a MicroApp's spec.audience",
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the user and of every group they belong to'),
  }),
  apply: (entity, { claims }) => {
    const audience = (entity.spec as { audience?: unknown })?.audience;
    if (!Array.isArray(audience)) return false;
    const wanted = new Set(claims.map(c => c.toLocaleLowerCase('en-US')));
    return audience.some(
      a => typeof a === 'string' && wanted.has(a.toLocaleLowerCase('en-US')),
    );
  },
  toQuery: ({ claims }) => ({
    key: 'spec.audience',
    values: claims.map(c => c.toLocaleLowerCase('en-US')),
  }),
});

/** The catalog permission rules the catalog module registers. @public */
export const microAppCatalogRules = [hasMicroAppTier, isInMicroAppAudience];

/** Conditions over catalog entities for a permission policy. @public */
export const microAppCatalogConditions = {
  hasMicroAppTier: createConditionFactory(hasMicroAppTier),
  isInMicroAppAudience: createConditionFactory(isInMicroAppAudience),
};
