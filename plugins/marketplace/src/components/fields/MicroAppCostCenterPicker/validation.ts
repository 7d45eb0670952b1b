import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { configApiRef } from '@backstage/frontend-plugin-api';
import { configuredCostCenters } from './costCenters';

/**
 * Refuses a cost center that is not configured. Without configured cost centers there is
 * nothing to check against (the cost gate then warns later).
 */
export const validateCostCenter: CustomFieldValidator<string> = (
  value,
  validation,
  { apiHolder },
) => {
  const config = apiHolder.get(configApiRef);
  if (!value || !config) {
    return;
  }
  const centers = configuredCostCenters(config);
  if (centers.length > 0 && !centers.some(c => c.id === value)) {
    validation.addError(
      `Unknown cost center '${value}'; pick one of the configured cost centers`,
    );
  }
};
