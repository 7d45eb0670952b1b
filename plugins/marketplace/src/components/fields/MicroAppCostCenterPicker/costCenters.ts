import type { ConfigApi } from '@backstage/frontend-plugin-api';
import {
  readCostCenters,
  type CostCenter,
} from '@microapps/plugin-marketplace-common';

export type { CostCenter };

/** The config key of the cost centers (declared `@deepVisibility frontend`). */
export const COST_CENTERS_CONFIG_KEY = 'marketplace.cost.centers';

/** The configured cost centers; none when the key is not set or malformed. */
export function configuredCostCenters(
  config: Pick<ConfigApi, 'getOptional'>,
): CostCenter[] {
  try {
    return readCostCenters(config) ?? [];
  } catch {
    // the config schema rejects malformed entries when the app starts
    return [];
  }
}

/** `CC-4711 · Finance applications`, or the id alone when it has no name. */
export function costCenterLabel(center: CostCenter): string {
  return center.name ? `${center.id} · ${center.name}` : center.id;
}
