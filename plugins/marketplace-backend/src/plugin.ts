import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { DatabaseMarketplaceStore } from './database/DatabaseMarketplaceStore';
import { DefaultMarketplaceService } from './service/MarketplaceService';
import { createRouter } from './service/router';

/**
 * The marketplace backend plugin: stores gate runs and serves `/api/marketplace`.
 *
 * @public
 */
export const marketplacePlugin = createBackendPlugin({
  pluginId: 'marketplace',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({ config, database, httpAuth, httpRouter, catalog }) {
        const store = await DatabaseMarketplaceStore.create({ database });
        const service = new DefaultMarketplaceService({
          catalog,
          store,
          currency:
            config.getOptionalString('marketplace.cost.currency') ?? 'EUR',
        });
        httpRouter.use(await createRouter({ httpAuth, service }));
      },
    });
  },
});
