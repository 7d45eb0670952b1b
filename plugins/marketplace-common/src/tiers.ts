/** The id of a tier. @public */
export type TierId = 'discover' | 'vetted' | 'enterprise';

/** A tier of the marketplace. @public */
export interface Tier {
  /** The tier's id. */
  id: TierId;
  /** The name shown to people. */
  title: string;
  /** 0 for the lowest tier; promotion goes up this order. */
  order: number;
  /** One sentence on what apps in the tier are for and who sees them. */
  description: string;
  /** Whether a failing gate blocks promotion (hard) or only warns (soft). */
  enforcement: 'soft' | 'hard';
}

/** All tiers, lowest first. @public */
export const TIERS: readonly Tier[] = Object.freeze([
  {
    id: 'discover',
    title: 'Discover',
    order: 0,
    description:
      'Experiments, seen by the owner and the declared audience only.',
    enforcement: 'soft',
  },
  {
    id: 'vetted',
    title: 'Vetted',
    order: 1,
    description: 'Pre-production, open to every portal user.',
    enforcement: 'hard',
  },
  {
    id: 'enterprise',
    title: 'Enterprise',
    order: 2,
    description:
      'Production, with operational readiness, a budget and a published SLA.',
    enforcement: 'hard',
  },
]);

/** The tier every app starts in. @public */
export const DEFAULT_TIER: TierId = 'discover';

/**
 * How long a Discover app lives unless renewed (`marketplace.tiers.discover.expiresAfterDays`):
 * the default and the bounds the config must keep, in days.
 *
 * @public
 */
export const DISCOVER_EXPIRY_DAYS = Object.freeze({
  default: 60,
  min: 30,
  max: 90,
});

/** True for a known tier id. @public */
export function isTierId(value: unknown): value is TierId {
  return TIERS.some(t => t.id === value);
}

/** The tier with this id; throws for an unknown id. @public */
export function getTier(id: TierId): Tier {
  const tier = TIERS.find(t => t.id === id);
  if (!tier) {
    throw new TypeError(`Unknown tier '${id}'`);
  }
  return tier;
}

/** Negative when a is below b, 0 when equal, positive when above. @public */
export function compareTiers(a: TierId, b: TierId): number {
  return getTier(a).order - getTier(b).order;
}
