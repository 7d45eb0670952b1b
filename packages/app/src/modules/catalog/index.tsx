import {
  coreExtensionData,
  createExtensionInput,
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import catalogPlugin, {
  CatalogIndexPage,
} from '@backstage/plugin-catalog/alpha';
import CategoryIcon from '@material-ui/icons/Category';
import { microAppColumns } from './microAppColumns';

/**
 * Replaces the catalog index page (`page:catalog`) with one that adds the tier and gate
 * status columns when the MicroApp kind is selected. The initial kind and list filters are
 * set in app-config (`catalog-filter:catalog/kind`, `catalog-filter:catalog/list`).
 */
export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [
    PageBlueprint.makeWithOverrides({
      inputs: {
        filters: createExtensionInput([coreExtensionData.reactElement]),
      },
      factory(originalFactory, { inputs }) {
        return originalFactory({
          path: '/catalog',
          routeRef: catalogPlugin.routes.catalogIndex,
          title: 'Catalog',
          icon: <CategoryIcon fontSize="inherit" />,
          loader: async () => (
            <CatalogIndexPage
              filters={
                inputs.filters.length ? (
                  <>
                    {inputs.filters.map(f =>
                      f.get(coreExtensionData.reactElement),
                    )}
                  </>
                ) : undefined
              }
              columns={microAppColumns}
            />
          ),
        });
      },
    }),
  ],
});
