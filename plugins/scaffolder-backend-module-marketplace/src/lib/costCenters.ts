import { InputError } from '@backstage/errors';
import type { CostCenter } from '@microapps/plugin-marketplace-common';

/**
 * Refuses a cost center that is not configured. Without configured cost centers any value
 * passes (the catalog's cost gate then warns that it cannot check).
 */
export function assertKnownCostCenter(
  centers: CostCenter[] | undefined,
  id: string,
): void {
  if (!centers || centers.some(c => c.id === id)) return;
  const known = centers
    .map(c => (c.name ? `${c.id} (${c.name})` : c.id))
    .join(', ');
  throw new InputError(
    `Unknown cost center '${id}' in costCenter; known: ${known || 'none'}`,
  );
}
