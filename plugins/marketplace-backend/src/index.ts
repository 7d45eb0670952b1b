/**
 * Backend of the Micro App Marketplace.
 *
 * @packageDocumentation
 */
export { marketplacePlugin as default } from './plugin';
export * from './evidence';
