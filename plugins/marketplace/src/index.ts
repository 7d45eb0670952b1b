/**
 * The Micro App Marketplace in the portal.
 *
 * @packageDocumentation
 */
export { marketplacePlugin as default } from './plugin';
export {
  marketplacePlugin,
  marketplaceApi,
  marketplacePage,
  entityGovernanceContent,
  reviewQueuePage,
  chargebackReportPage,
} from './plugin';
export { RequireReportPermission } from './components/ChargebackReportPage/RequireReportPermission';
export * from './api';
export {
  marketplaceScaffolderFieldsModule,
  microAppCostCenterPickerFormField,
  microAppClassificationPickerFormField,
  microAppPermissionPickerFormField,
  microAppAudiencePickerFormField,
} from './scaffolderFields';
export type {
  MicroAppPermissionPickerUiOptions,
  PermissionRequest,
} from './components/fields';
export {
  legacyMarketplacePlugin,
  legacyMarketplaceRouteRef,
  legacyReviewsRouteRef,
  legacyChargebackRouteRef,
  legacyGovernanceRouteRef,
  MarketplacePage,
  ReviewQueuePage,
  ChargebackReportPage,
  EntityGovernanceContent,
  EntityTierCard,
  EntitySupportCard,
  EntityCostCard,
  MicroAppCostCenterPickerFieldExtension,
  MicroAppClassificationPickerFieldExtension,
  MicroAppPermissionPickerFieldExtension,
  MicroAppAudiencePickerFieldExtension,
} from './legacy';
