/**
 * Scaffolder module of the Micro App Marketplace: actions that write a micro app's manifest
 * and SBOM, publish it locally, register it and request its promotion.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMarketplace as default } from './module';
export { createWriteManifestAction } from './actions/writeManifest';
export { createGenerateSbomAction } from './actions/generateSbom';
export { createPublishLocalAction } from './actions/publishLocal';
export { createRegisterAppAction } from './actions/registerApp';
export { createRequestPromotionAction } from './actions/requestPromotion';
