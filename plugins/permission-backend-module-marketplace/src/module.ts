import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createMembershipResolver } from '@microapps/plugin-marketplace-node';
import { MarketplacePermissionPolicy } from './policy/MarketplacePermissionPolicy';

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
      },
      async init({ policy, config, catalog, auth }) {
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
