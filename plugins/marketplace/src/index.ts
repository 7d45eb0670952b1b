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
} from './plugin';
export * from './api';
export {
  legacyMarketplacePlugin,
  legacyMarketplaceRouteRef,
  legacyReviewsRouteRef,
  legacyGovernanceRouteRef,
  MarketplacePage,
  ReviewQueuePage,
  EntityGovernanceContent,
  EntityTierCard,
  EntitySupportCard,
  EntityCostCard,
} from './legacy';
