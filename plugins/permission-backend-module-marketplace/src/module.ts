import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createMembershipResolver } from '@microapps/plugin-marketplace-node';
import { MarketplacePermissionPolicy } from './policy/MarketplacePermissionPolicy';
import { readPolicyConfig } from './policy/readPolicyConfig';

/**
 * Installs the marketplace's governance policy as the permission policy.
 *
 * @public
 */
export const permissionModuleMarketplacePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'marketplace-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ policy, config, catalog, auth, logger }) {
        const { admins, reviewers } = readPolicyConfig(config);
        logger.info('Using the marketplace governance policy', {
          admins: admins.join(', '),
          reviewerStages: Object.keys(reviewers).join(', '),
        });
        if (!admins.length) {
          // not an error: a portal may run without admins, but then nobody can demote an app
          logger.warn('marketplace.admins is empty: nobody may override tiers');
        }
        policy.setPolicy(
          new MarketplacePermissionPolicy({
            config,
            membership: createMembershipResolver({ catalog, auth }),
          }),
        );
      },
    });
  },
});
