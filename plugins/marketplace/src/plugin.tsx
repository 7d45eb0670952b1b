import {
  ApiBlueprint,
  createFrontendPlugin,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import ReceiptIcon from '@material-ui/icons/Receipt';
import StorefrontIcon from '@material-ui/icons/Storefront';
import { MarketplaceClient, marketplaceApiRef } from './api';
import { chargebackRouteRef, reviewsRouteRef, rootRouteRef } from './routes';

/** The marketplace API, on the app's fetch API. @public */
export const marketplaceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: marketplaceApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: ({ fetchApi }) => new MarketplaceClient({ fetchApi }),
    }),
});

/** The marketplace page at `/marketplace`, in the sidebar. @public */
export const marketplacePage = PageBlueprint.make({
  params: {
    path: '/marketplace',
    title: 'Marketplace',
    icon: <StorefrontIcon fontSize="inherit" />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/MarketplacePage').then(m => <m.MarketplacePage />),
  },
});

/** The review queue at `/marketplace/reviews`. @public */
export const reviewQueuePage = PageBlueprint.make({
  name: 'reviews',
  params: {
    path: '/marketplace/reviews',
    title: 'Review queue',
    icon: <AssignmentTurnedInIcon fontSize="inherit" />,
    routeRef: reviewsRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ReviewQueuePage').then(m => <m.ReviewQueuePage />),
  },
});

/**
 * The chargeback report at `/marketplace/reports/chargeback`. Its nav item is
 * `page:marketplace/chargeback`; wrap it in `RequireReportPermission` to hide it from users
 * who may not read reports. @public
 */
export const chargebackReportPage = PageBlueprint.make({
  name: 'chargeback',
  params: {
    path: '/marketplace/reports/chargeback',
    title: 'Chargeback',
    icon: <ReceiptIcon fontSize="inherit" />,
    routeRef: chargebackRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/ChargebackReportPage').then(m => (
        <m.ChargebackReportPage />
      )),
  },
});

/** The Governance tab of MicroApp entities. @public */
export const entityGovernanceContent = EntityContentBlueprint.make({
  name: 'governance',
  params: {
    path: '/governance',
    title: 'Governance',
    filter: { kind: 'microapp' },
    loader: () =>
      import('./components/EntityGovernanceContent').then(m => (
        <m.EntityGovernanceContent />
      )),
  },
});

const card = (name: 'tier' | 'support' | 'cost') =>
  EntityCardBlueprint.make({
    name,
    params: {
      filter: { kind: 'microapp' },
      loader: () =>
        import('./components/EntityCards').then(m => {
          const Card = {
            tier: m.EntityTierCard,
            support: m.EntitySupportCard,
            cost: m.EntityCostCard,
          }[name];
          return <Card />;
        }),
    },
  });

/** The overview cards of MicroApps: tier and gates, support, cost. @public */
export const entityTierCard = card('tier');
/** @public */
export const entitySupportCard = card('support');
/** @public */
export const entityCostCard = card('cost');

/** The Micro App Marketplace frontend plugin (new frontend system). @public */
export const marketplacePlugin = createFrontendPlugin({
  pluginId: 'marketplace',
  title: 'Marketplace',
  extensions: [
    marketplaceApi,
    marketplacePage,
    reviewQueuePage,
    chargebackReportPage,
    entityGovernanceContent,
    entityTierCard,
    entitySupportCard,
    entityCostCard,
  ],
  routes: {
    root: rootRouteRef,
    reviews: reviewsRouteRef,
    chargeback: chargebackRouteRef,
  },
});
