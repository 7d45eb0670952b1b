import {
  compareTiers,
  isTierId,
  TierId,
} from '@microapps/plugin-marketplace-common';

/**
 * The tier `spec.tier` asks for, when it is above the approved one. A `spec.tier` at or
 * below the approved tier asks for nothing: tiers only go down by demotion or expiry.
 */
export function requestedAbove(
  tier: string,
  requestedTier: string,
): TierId | undefined {
  return isTierId(tier) &&
    isTierId(requestedTier) &&
    compareTiers(requestedTier, tier) > 0
    ? requestedTier
    : undefined;
}
