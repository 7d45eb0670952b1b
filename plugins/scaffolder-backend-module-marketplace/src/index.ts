/**
 * Scaffolder module of the Micro App Marketplace.
 *
 * @packageDocumentation
 */
export {};
