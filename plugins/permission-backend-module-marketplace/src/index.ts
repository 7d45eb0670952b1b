/**
 * The governance permission policy of the Micro App Marketplace, and its parts for adopters
 * who compose them into a policy of their own.
 *
 * @packageDocumentation
 */
export { permissionModuleMarketplacePolicy as default } from './module';
export { permissionModuleMarketplacePolicy } from './module';
export { MarketplacePermissionPolicy } from './policy/MarketplacePermissionPolicy';
export {
  createMarketplacePolicyDecider,
  type MarketplacePolicyDecider,
} from './policy/createMarketplacePolicyDecider';
export {
  createMicroAppConditionalDecision,
  microAppCatalogConditions,
  microAppConditions,
} from '@microapps/plugin-marketplace-node';
