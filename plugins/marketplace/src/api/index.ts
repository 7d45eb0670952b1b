export { marketplaceApiRef, type MarketplaceApi } from './MarketplaceApi';
export { MarketplaceClient } from './MarketplaceClient';
