/** Formatting of money, percentages, durations and dates, the same on every card and list. */

/** "€31.20" in the app's currency; "-€8.80" / "+€3.60" with `signed`. */
export function formatMoney(
  amount: number,
  currency: string,
  options: { signed?: boolean } = {},
): string {
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
    ...(options.signed && { signDisplay: 'exceptZero' }),
  }).format(amount);
}

/** "99.95 %"; "+12.5 %" / "-3 %" with `signed`. At most `digits` decimals (default 1). */
export function formatPercent(
  value: number,
  options: { signed?: boolean; digits?: number } = {},
): string {
  const number = new Intl.NumberFormat('en', {
    maximumFractionDigits: options.digits ?? 1,
    ...(options.signed && { signDisplay: 'exceptZero' }),
  }).format(value);
  return `${number} %`;
}

/** "45 min", "1 h 30 min", "2 h", "1 d 3 h"; "under 1 min" below a minute. */
export function formatMinutes(minutes: number): string {
  const total = Math.round(minutes);
  if (total < 1) return 'under 1 min';
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** "December 2026" for `2026-12`; the text itself when it is no month. */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  return new Date(
    Date.UTC(Number(match[1]), Number(match[2]) - 1, 1),
  ).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** "3 Dec 2026" in the user's time zone. */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

/** "3 Dec 2026, 14:05" in the user's time zone. */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
