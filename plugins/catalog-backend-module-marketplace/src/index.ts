/**
 * Catalog module of the Micro App Marketplace: the MicroApp kind.
 *
 * @packageDocumentation
 */
export { catalogModuleMarketplace as default } from './module';
export { catalogModuleMarketplaceFileLocations } from './fileLocationsModule';
export { MicroAppProcessor } from './processor/MicroAppProcessor';
