import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import {
  marketplaceServiceRef,
  microAppCatalogRules,
  PolicyGate,
  policyGatesExtensionPoint,
} from '@microapps/plugin-marketplace-node';
import { readMarketplaceBounds } from './bounds/readMarketplaceBounds';
import { createBuiltinGates } from './gates/createBuiltinGates';
import { MicroAppProcessor } from './processor/MicroAppProcessor';
import { ALLOW_INTERNAL_TARGETS_KEY } from './reader/refuseInternalTargets';
import { GateRunner } from './runner/GateRunner';
import { cacheServiceGateCache } from './services/cacheServiceGateCache';
import { createTemplateLookup } from './services/createTemplateLookup';
import { GateRunRecorder } from './services/GateRunRecorder';
import { startAdvisoryFeed } from './services/startAdvisoryFeed';
import { TierStateLoader } from './services/TierStateLoader';

/**
 * Adds the MicroApp kind to the catalog and evaluates the marketplace's policy gates while
 * the catalog processes each app. Other catalog modules add gates through
 * `policyGatesExtensionPoint`.
 *
 * @public
 */
export const catalogModuleMarketplace = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'marketplace',
  register(reg) {
    const addedGates: PolicyGate[] = [];
    reg.registerExtensionPoint(policyGatesExtensionPoint, {
      addGates: (...gates) => addedGates.push(...gates),
    });
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        catalogApi: catalogServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        urlReader: coreServices.urlReader,
        cache: coreServices.cache,
        auth: coreServices.auth,
        scheduler: coreServices.scheduler,
        marketplace: marketplaceServiceRef,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        catalog,
        catalogApi,
        config,
        logger,
        urlReader,
        cache,
        auth,
        scheduler,
        marketplace,
        permissionsRegistry,
      }) {
        // every size, count, depth and time limit, first: a wrong one stops the backend here
        const { readTimeoutMs } = readMarketplaceBounds({ config });
        // before the catalog builds its rule set: Discover apps seen by owners and audience
        permissionsRegistry.addPermissionRules(microAppCatalogRules);
        const feed = await startAdvisoryFeed({
          config,
          logger,
          urlReader,
          scheduler,
        });
        const gates = [
          ...(await createBuiltinGates({
            config,
            logger,
            getTemplate: createTemplateLookup({ catalog: catalogApi, auth }),
            getAdvisoryIndex: () => feed?.getIndex(),
          })),
          ...addedGates,
        ];
        const runner = new GateRunner({
          gates,
          logger,
          cache: cacheServiceGateCache(cache),
          gatesConfig: config.getOptionalConfig('marketplace.gates'),
        });
        logger.info(`Marketplace policy gates: ${runner.gateIds.join(', ')}`);
        catalog.addProcessor(
          new MicroAppProcessor({
            runner,
            urlReader,
            allowInternalTargets:
              config.getOptionalBoolean(ALLOW_INTERNAL_TARGETS_KEY) ?? false,
            readTimeoutMs,
            recorder: new GateRunRecorder({ marketplace, logger }),
            tierStates: new TierStateLoader({ marketplace, logger }),
          }),
        );
      },
    });
  },
});
