import type { GateFinding } from '@microapps/plugin-marketplace-common';
import type { PolicyGate } from '@microapps/plugin-marketplace-node';

/**
 * The `cost` gate: the app names a cost center the organisation knows
 * (`marketplace.cost.centers`) and a monthly forecast.
 *
 * @public
 */
export function createCostGate(options: {
  /** Known cost center ids; undefined when none are configured. */
  centers?: string[];
}): PolicyGate {
  const known = options.centers && new Set(options.centers);
  return {
    id: 'cost',
    title: 'Cost',
    async evaluate({ entity }) {
      const { center, monthlyForecast } = entity.spec.cost;
      const findings: GateFinding[] = [];
      if (known && !known.has(center)) {
        findings.push({
          id: `unknown-center:${center}`,
          severity: 'high',
          message: `The cost center '${center}' is not one of the configured cost centers`,
          location: 'spec.cost.center',
        });
      }
      if (typeof monthlyForecast !== 'number') {
        findings.push({
          id: 'no-forecast',
          severity: 'high',
          message: 'The app has no monthly cost forecast',
          location: 'spec.cost.monthlyForecast',
        });
      }
      if (!known) {
        // Nothing to check the center against: say so instead of passing silently.
        return {
          status: findings.length ? 'fail' : 'warn',
          findings: [
            ...findings,
            {
              id: 'no-centers-configured',
              severity: 'info',
              message:
                'marketplace.cost.centers is not configured, so the cost center could not be checked',
            },
          ],
          summary: 'cost centers not configured',
        };
      }
      return {
        status: findings.length ? 'fail' : 'pass',
        findings,
        summary: findings.length
          ? findings.map(f => f.message).join('; ')
          : `${center}, forecast ${monthlyForecast} per month`,
        inputDigest: [...known].sort().join(','),
      };
    },
  };
}
