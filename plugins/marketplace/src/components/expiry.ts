/** Where a Discover app stands with its expiry. */
export type Expiry =
  | { state: 'expires'; days: number; date: string }
  | { state: 'today'; date: string }
  | { state: 'expired'; date?: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** "28 Jan 2027". */
export function formatExpiryDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

function startOfDay(date: Date): number {
  return new Date(
    date.getFullYear(),
    date.getMonth(),
    date.getDate(),
  ).getTime();
}

/**
 * The expiry of an app: only Discover apps expire (the server sends no `expiresAt` for the
 * others), and an app is expired when the server says so or its date has passed (the job
 * that records it runs every half hour). Days count calendar days in the user's time zone.
 */
export function expiryOf(
  app: { tier: string; expiresAt?: string | null },
  now: Date = new Date(),
): Expiry | undefined {
  const { tier, expiresAt } = app;
  if (tier === 'expired') {
    return {
      state: 'expired',
      ...(expiresAt && { date: formatExpiryDate(expiresAt) }),
    };
  }
  if (tier !== 'discover' || !expiresAt) return undefined;
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) return undefined;
  const date = formatExpiryDate(expiresAt);
  if (at.getTime() <= now.getTime()) return { state: 'expired', date };
  const days = Math.round((startOfDay(at) - startOfDay(now)) / DAY_MS);
  return days <= 0
    ? { state: 'today', date }
    : { state: 'expires', days, date };
}

/** "expires in 12 days (28 Jan 2027)", "expires today", "Expired on 28 Jan 2027: …". */
export function expiryText(expiry: Expiry): string {
  switch (expiry.state) {
    case 'expires':
      return `expires in ${expiry.days} day${expiry.days === 1 ? '' : 's'} (${
        expiry.date
      })`;
    case 'today':
      return 'expires today';
    default:
      return `${
        expiry.date ? `Expired on ${expiry.date}` : 'Expired'
      }: hidden from the marketplace until renewed`;
  }
}
