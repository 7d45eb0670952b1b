/**
 * Common types, the MicroApp kind schema and the tier model of the Micro App Marketplace.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './tiers';
export * from './types';
export {
  microAppSpecSchema,
  microAppEntitySchema,
} from './schema/microAppSchema';
export { validateMicroAppEntity } from './schema/validateMicroApp';
export type { MicroAppValidationResult } from './schema/validateMicroApp';
export * from './gates';
export {
  checkTierRequirements,
  tierRequirementSchemas,
} from './schema/tierRequirements';
export * from './permissions';
export * from './promotions';
export * from './exceptions';
export * from './api';
export * from './scopes';
export * from './costCenters';
export * from './operations';
