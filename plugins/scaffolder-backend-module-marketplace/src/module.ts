import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { marketplaceServiceRef } from '@microapps/plugin-marketplace-node';
import { createGenerateSbomAction } from './actions/generateSbom';
import { createPublishLocalAction } from './actions/publishLocal';
import { createRegisterAppAction } from './actions/registerApp';
import { createRequestPromotionAction } from './actions/requestPromotion';
import { createWriteManifestAction } from './actions/writeManifest';

/**
 * Adds the marketplace's scaffolder actions: write the manifest and the SBOM, publish
 * locally, register the app and request its promotion.
 *
 * @public
 */
export const scaffolderModuleMarketplace = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'marketplace',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
        marketplace: marketplaceServiceRef,
      },
      async init({
        scaffolder,
        config,
        auth,
        discovery,
        catalog,
        marketplace,
      }) {
        scaffolder.addActions(
          createWriteManifestAction({ catalog, config }),
          createGenerateSbomAction(),
          createPublishLocalAction({ config }),
          createRegisterAppAction({ catalog, marketplace, config }),
          createRequestPromotionAction({ catalog, auth, discovery }),
        );
      },
    });
  },
});
