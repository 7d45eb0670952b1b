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
 * Replaces the catalog index page (`page:catalog`) with one that shows MicroApps first,
 * for every user (not only owned ones), with their tier and gate status columns.
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
              initialKind="microapp"
              initiallySelectedFilter="all"
            />
          ),
        });
      },
    }),
  ],
});
