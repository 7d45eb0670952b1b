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
