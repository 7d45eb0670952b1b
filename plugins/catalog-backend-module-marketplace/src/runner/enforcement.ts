import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  GateEnforcement,
  getTier,
  TierId,
} from '@microapps/plugin-marketplace-common';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';

const ENFORCEMENTS: GateEnforcement[] = ['off', 'warn', 'block'];

/**
 * How a gate's failure counts at a tier: the gate's own rule (policy rules), else
 * `marketplace.gates.<id>.enforcement.<tier>`, else the tier's default: a warning in
 * Discover, blocking in Vetted and Enterprise.
 */
export function enforcementFor(options: {
  gate: PolicyGate;
  tier: TierId;
  /** The gate's own section, `marketplace.gates.<id>`. */
  gateConfig: Config;
}): GateEnforcement {
  const { gate, tier, gateConfig } = options;
  if (gate.enforcementFor) {
    return gate.enforcementFor(tier);
  }
  const configured = gateConfig.getOptionalString(`enforcement.${tier}`);
  if (configured !== undefined) {
    if (!ENFORCEMENTS.includes(configured as GateEnforcement)) {
      throw new InputError(
        `marketplace.gates.${
          gate.id
        }.enforcement.${tier} must be one of: ${ENFORCEMENTS.join(', ')}`,
      );
    }
    return configured as GateEnforcement;
  }
  return getTier(tier).enforcement === 'soft' ? 'warn' : 'block';
}
