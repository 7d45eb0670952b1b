import type { AppRenewal } from '@microapps/plugin-marketplace-common';
import type { AppRecord } from '../../database/MarketplaceStore';

export const DAY_MS = 86_400_000;

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
 * Whether the app may be renewed now: it is in Discover with an expiry (expired or not) and
 * was not renewed in its current period, the `expiresAfterDays` before its expiry. Once that
 * period has run out, the app may be renewed again.
 */
export function renewalOf(
  record: AppRecord | undefined,
  now: Date,
  expiresAfterDays: number,
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
      reason: 'the app has no expiry: it was never registered',
      ...renewedAt,
    };
  }
  const expiresAt = new Date(record.expiresAt).getTime();
  const periodStart = expiresAt - expiresAfterDays * DAY_MS;
  if (
    record.renewedAt &&
    new Date(record.renewedAt).getTime() >= periodStart &&
    now.getTime() < expiresAt
  ) {
    return {
      allowed: false,
      reason: `renewed on ${day(
        record.renewedAt,
      )}; the next renewal opens on ${day(record.expiresAt)}`,
      ...renewedAt,
    };
  }
  return { allowed: true, ...renewedAt };
}
