/**
 * Catalog module of the Micro App Marketplace: the MicroApp kind.
 *
 * @packageDocumentation
 */
export { catalogModuleMarketplace as default } from './module';
export { MicroAppProcessor } from './processor/MicroAppProcessor';
