import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { PolicyGate } from './gates';

/**
 * Lets catalog modules add policy gates to the ones the marketplace runs.
 *
 * @public
 */
export interface PolicyGatesExtensionPoint {
  /** Adds gates; an id that is already taken is refused at startup. */
  addGates(...gates: PolicyGate[]): void;
}

/**
 * The extension point through which other catalog backend modules add gates. It is
 * registered by `@microapps/plugin-catalog-backend-module-marketplace`, so a module that uses
 * it has `pluginId: 'catalog'`.
 *
 * @public
 */
export const policyGatesExtensionPoint =
  createExtensionPoint<PolicyGatesExtensionPoint>({
    id: 'marketplace.policy-gates',
  });
