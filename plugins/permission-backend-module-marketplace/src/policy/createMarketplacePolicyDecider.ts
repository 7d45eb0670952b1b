import type { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  exceptionGrantPermission,
  MICRO_APP_KIND,
  promotionRequestPermission,
  promotionReviewPermission,
  reportReadPermission,
  tierOverridePermission,
} from '@microapps/plugin-marketplace-common';
import {
  createMicroAppConditionalDecision,
  MembershipResolver,
  microAppCatalogConditions,
  microAppConditions,
} from '@microapps/plugin-marketplace-node';
import { readPolicyConfig } from './readPolicyConfig';

/** Decides the marketplace's permissions; `undefined` for every other permission. @public */
export interface MarketplacePolicyDecider {
  /** The marketplace's decision on the request, or undefined when it does not govern it. */
  decide(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision | undefined>;
}

const ALLOW = { result: AuthorizeResult.ALLOW } as const;
const DENY = { result: AuthorizeResult.DENY } as const;

/**
 * The marketplace's rules as a piece an existing permission policy can call first: it
 * answers for catalog reads and the five marketplace permissions, and leaves everything else
 * to the caller.
 *
 * @public
 */
export function createMarketplacePolicyDecider(options: {
  config: Config;
  membership: MembershipResolver;
}): MarketplacePolicyDecider {
  const { admins, reviewers } = readPolicyConfig(options.config);
  const allReviewers = new Set(Object.values(reviewers).flat());
  const budget = reviewers.budget ?? [];

  return {
    async decide(request, user) {
      const { permission } = request;
      const governed =
        isPermission(permission, catalogEntityReadPermission) ||
        permission.name.startsWith('marketplace.');
      if (!governed) return undefined;
      // plugins act for the system (the catalog evaluating gates, the marketplace loading apps)
      if (!user) return ALLOW;

      const userRef = user.info.userEntityRef.toLocaleLowerCase('en-US');
      const claims = [
        ...new Set([
          ...(await options.membership.getClaims(userRef)),
          ...user.info.ownershipEntityRefs.map(r =>
            r.toLocaleLowerCase('en-US'),
          ),
        ]),
      ];
      const isAdmin = claims.some(c => admins.includes(c));

      if (isPermission(permission, catalogEntityReadPermission)) {
        // reviewers must see what they review; admins see everything
        if (isAdmin || claims.some(c => allReviewers.has(c))) return ALLOW;
        return createCatalogConditionalDecision(permission, {
          anyOf: [
            {
              not: catalogConditions.isEntityKind({ kinds: [MICRO_APP_KIND] }),
            },
            microAppCatalogConditions.hasMicroAppTier({
              tiers: ['vetted', 'enterprise'],
            }),
            catalogConditions.isEntityOwner({ claims }),
            microAppCatalogConditions.isInMicroAppAudience({ claims }),
          ],
        });
      }
      if (isPermission(permission, promotionRequestPermission)) {
        if (isAdmin) return ALLOW;
        return createMicroAppConditionalDecision(
          permission,
          microAppConditions.isAppOwner({ claims }),
        );
      }
      if (isPermission(permission, promotionReviewPermission)) {
        // separation of duties has no exemption, not even for admins
        return createMicroAppConditionalDecision(permission, {
          allOf: [
            microAppConditions.isStageReviewer({ claims }),
            microAppConditions.isNotSubmitter({ claims: [userRef] }),
            { not: microAppConditions.isAppOwner({ claims }) },
          ],
        });
      }
      if (isPermission(permission, exceptionGrantPermission)) {
        return createMicroAppConditionalDecision(permission, {
          allOf: [
            microAppConditions.isStageReviewer({ claims, stage: 'security' }),
            { not: microAppConditions.isAppOwner({ claims }) },
          ],
        });
      }
      if (isPermission(permission, tierOverridePermission)) {
        return isAdmin ? ALLOW : DENY;
      }
      if (isPermission(permission, reportReadPermission)) {
        return isAdmin || claims.some(c => budget.includes(c)) ? ALLOW : DENY;
      }
      // a marketplace permission this version does not know: refuse rather than guess
      return DENY;
    },
  };
}
