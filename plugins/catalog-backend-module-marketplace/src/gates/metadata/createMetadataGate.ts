import {
  checkTierRequirements,
  getTier,
} from '@microapps/plugin-marketplace-common';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';

/**
 * The `metadata` gate: the submission manifest holds what the requested tier requires
 * (support contact and data classification from Discover on; roster, SLA tier and
 * residency from Vetted on; a runbook for Enterprise; a justification for every permission).
 *
 * @public
 */
export function createMetadataGate(): PolicyGate {
  return {
    id: 'metadata',
    title: 'Submission manifest',
    async evaluate({ entity, tier }) {
      const missing = checkTierRequirements(entity.spec, tier);
      const tierTitle = getTier(tier).title;
      return {
        status: missing.length ? 'fail' : 'pass',
        findings: missing.map(message => ({
          id: message.split(' ')[0],
          severity: 'medium',
          message: `${message} for ${tierTitle}`,
          location: message.split(' ')[0],
        })),
        summary: missing.length
          ? `${missing.length} field${
              missing.length === 1 ? '' : 's'
            } missing for ${tierTitle}`
          : `complete for ${tierTitle}`,
      };
    },
  };
}
