import type { AppRenewal } from '@microapps/plugin-marketplace-common';
import type { AppRecord } from '../../database/MarketplaceStore';

export const DAY_MS = 86_400_000;

/** Renewal opens this many days before the expiry unless configured (the first warning). */
export const DEFAULT_RENEWAL_WINDOW_DAYS = 14;

/** The renewal window of a warning schedule: the earliest warning's lead. */
export function renewalWindowDays(warnDaysBefore: number[]): number {
  return Math.max(0, ...warnDaysBefore);
}

const day = (iso: string) => iso.slice(0, 10);

/** A Discover app past its expiry: hidden from the marketplace, labelled `expired`. */
export function isExpired(record: AppRecord | undefined, now: Date): boolean {
  return (
    record?.effectiveTier === 'discover' &&
    !!record.expiresAt &&
    new Date(record.expiresAt).getTime() <= now.getTime()
  );
}

/**
 * Whether the app may be renewed now. It must be in Discover with an expiry. Each renewal
 * starts a new period of `expiresAfterDays`; a period allows one renewal, so an app renewed
 * in its current period may be renewed again only once that period's window opens: the
 * last `windowDays` before the expiry (the first warning's lead), or after the expiry.
 */
export function renewalOf(
  record: AppRecord | undefined,
  now: Date,
  options: { expiresAfterDays: number; windowDays: number },
): AppRenewal {
  const renewedAt = record?.renewedAt && { renewedAt: record.renewedAt };
  if (record?.effectiveTier !== 'discover' && record) {
    return {
      allowed: false,
      reason: 'only Discover apps expire',
      ...renewedAt,
    };
  }
  if (!record?.expiresAt) {
    return {
      allowed: false,
      reason:
        'the app has no expiry date: it came from a catalog location, not from a template (only apps a template registers expire)',
      ...renewedAt,
    };
  }
  const expiresAt = new Date(record.expiresAt).getTime();
  const periodStart = expiresAt - options.expiresAfterDays * DAY_MS;
  const opensAt = new Date(expiresAt - options.windowDays * DAY_MS);
  const renewedThisPeriod =
    !!record.renewedAt && new Date(record.renewedAt).getTime() >= periodStart;
  if (renewedThisPeriod && now.getTime() < opensAt.getTime()) {
    return {
      allowed: false,
      reason: `renewed on ${day(
        record.renewedAt!,
      )}; the next renewal opens on ${day(opensAt.toISOString())}, ${
        options.windowDays
      } days before the expiry`,
      ...renewedAt,
    };
  }
  return { allowed: true, ...renewedAt };
}
