/*
 * The plugin for portals still on the legacy frontend system (App.tsx with routes and
 * EntityPage.tsx). The same components as the new-system extensions in plugin.tsx.
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { MarketplaceClient, marketplaceApiRef } from './api';
import {
  MicroAppAudiencePicker,
  MicroAppAudiencePickerSchema,
  MicroAppClassificationPicker,
  MicroAppClassificationPickerSchema,
  MicroAppCostCenterPicker,
  MicroAppCostCenterPickerSchema,
  MicroAppPermissionPicker,
  MicroAppPermissionPickerSchema,
  validateAudience,
  validateClassification,
  validateCostCenter,
  validatePermissions,
} from './components/fields';

/** The marketplace page's route (legacy). @public */
export const legacyMarketplaceRouteRef = createRouteRef({ id: 'marketplace' });
/** The review queue's route (legacy). @public */
export const legacyReviewsRouteRef = createRouteRef({
  id: 'marketplace-reviews',
});
/** The chargeback report's route (legacy). @public */
export const legacyChargebackRouteRef = createRouteRef({
  id: 'marketplace-chargeback',
});
/** The Governance tab's route (legacy), mounted under an entity page. @public */
export const legacyGovernanceRouteRef = createRouteRef({
  id: 'marketplace-governance',
});

/** The Micro App Marketplace frontend plugin (legacy frontend system). @public */
export const legacyMarketplacePlugin = createPlugin({
  id: 'marketplace',
  apis: [
    createApiFactory({
      api: marketplaceApiRef,
      deps: { fetchApi: fetchApiRef },
      factory: ({ fetchApi }) => new MarketplaceClient({ fetchApi }),
    }),
  ],
  routes: {
    root: legacyMarketplaceRouteRef,
    reviews: legacyReviewsRouteRef,
    chargeback: legacyChargebackRouteRef,
  },
});

/** `<Route path="/marketplace" element={<MarketplacePage />} />` @public */
export const MarketplacePage: () => JSX.Element =
  legacyMarketplacePlugin.provide(
    createRoutableExtension({
      name: 'MarketplacePage',
      component: () =>
        import('./components/MarketplacePage').then(m => m.MarketplacePage),
      mountPoint: legacyMarketplaceRouteRef,
    }),
  );

/** `<Route path="/marketplace/reviews" element={<ReviewQueuePage />} />` @public */
export const ReviewQueuePage: () => JSX.Element =
  legacyMarketplacePlugin.provide(
    createRoutableExtension({
      name: 'ReviewQueuePage',
      component: () =>
        import('./components/ReviewQueuePage').then(m => m.ReviewQueuePage),
      mountPoint: legacyReviewsRouteRef,
    }),
  );

/**
 * `<Route path="/marketplace/reports/chargeback" element={<ChargebackReportPage />} />`
 * @public
 */
export const ChargebackReportPage: () => JSX.Element =
  legacyMarketplacePlugin.provide(
    createRoutableExtension({
      name: 'ChargebackReportPage',
      component: () =>
        import('./components/ChargebackReportPage').then(
          m => m.ChargebackReportPage,
        ),
      mountPoint: legacyChargebackRouteRef,
    }),
  );

/**
 * The Governance tab of a MicroApp's entity page, in EntityPage.tsx:
 *
 * ```tsx
 * <EntityLayout.Route path="/governance" title="Governance" if={e => e.kind === 'MicroApp'}>
 *   <EntityGovernanceContent />
 * </EntityLayout.Route>
 * ```
 *
 * @public
 */
export const EntityGovernanceContent: () => JSX.Element =
  legacyMarketplacePlugin.provide(
    createRoutableExtension({
      name: 'EntityGovernanceContent',
      component: () =>
        import('./components/EntityGovernanceContent').then(
          m => m.EntityGovernanceContent,
        ),
      mountPoint: legacyGovernanceRouteRef,
    }),
  );

const card = (
  name: 'EntityTierCard' | 'EntitySupportCard' | 'EntityCostCard',
): (() => JSX.Element) =>
  legacyMarketplacePlugin.provide(
    createComponentExtension({
      name,
      component: {
        lazy: () => import('./components/EntityCards').then(m => m[name]),
      },
    }),
  );

/** The tier and gates card of a MicroApp's overview (legacy). @public */
export const EntityTierCard = card('EntityTierCard');
/** The support card (legacy). @public */
export const EntitySupportCard = card('EntitySupportCard');
/** The cost card (legacy). @public */
export const EntityCostCard = card('EntityCostCard');

/*
 * Scaffolder form fields (legacy), for `<ScaffolderFieldExtensions>` inside the scaffolder
 * route. They are provided by this plugin rather than scaffolderPlugin so that the package
 * needs no dependency on @backstage/plugin-scaffolder; the scaffolder collects them all the
 * same.
 */

/** `ui:field: MicroAppCostCenterPicker` (legacy). @public */
export const MicroAppCostCenterPickerFieldExtension =
  legacyMarketplacePlugin.provide(
    createScaffolderFieldExtension({
      name: 'MicroAppCostCenterPicker',
      component: MicroAppCostCenterPicker,
      validation: validateCostCenter,
      schema: MicroAppCostCenterPickerSchema.schema,
    }),
  );

/** `ui:field: MicroAppClassificationPicker` (legacy). @public */
export const MicroAppClassificationPickerFieldExtension =
  legacyMarketplacePlugin.provide(
    createScaffolderFieldExtension({
      name: 'MicroAppClassificationPicker',
      component: MicroAppClassificationPicker,
      validation: validateClassification,
      schema: MicroAppClassificationPickerSchema.schema,
    }),
  );

/** `ui:field: MicroAppPermissionPicker` (legacy). @public */
export const MicroAppPermissionPickerFieldExtension =
  legacyMarketplacePlugin.provide(
    createScaffolderFieldExtension({
      name: 'MicroAppPermissionPicker',
      component: MicroAppPermissionPicker,
      validation: validatePermissions,
      schema: MicroAppPermissionPickerSchema.schema,
    }),
  );

/** `ui:field: MicroAppAudiencePicker` (legacy). @public */
export const MicroAppAudiencePickerFieldExtension =
  legacyMarketplacePlugin.provide(
    createScaffolderFieldExtension({
      name: 'MicroAppAudiencePicker',
      component: MicroAppAudiencePicker,
      validation: validateAudience,
      schema: MicroAppAudiencePickerSchema.schema,
    }),
  );
