/**
 * Node library of the Micro App Marketplace: the gate interface, the extension point through
 * which modules add gates, and the service through which modules talk to the marketplace.
 *
 * @packageDocumentation
 */
export * from './gates';
export * from './extensions';
export * from './service';
export * from './permissions';
export * from './catalogRules';
export * from './membership';
