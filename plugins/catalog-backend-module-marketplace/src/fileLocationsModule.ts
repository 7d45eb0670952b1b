import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogLocationsExtensionPoint } from '@backstage/plugin-catalog-node';

/**
 * Lets users register `file` locations in the catalog besides `url` ones, so that apps the
 * scaffolder publishes to a local folder (`marketplace:publish:local`) can be registered.
 * For demos and development only: with it, anyone allowed to register locations can make the
 * catalog read files of the backend's machine.
 *
 * @public
 */
export const catalogModuleMarketplaceFileLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'marketplace-file-locations',
  register(reg) {
    reg.registerInit({
      deps: { locations: catalogLocationsExtensionPoint },
      async init({ locations }) {
        locations.setAllowedLocationTypes(['url', 'file']);
      },
    });
  },
});
