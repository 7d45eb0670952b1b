import type { AppBudget } from '@microapps/plugin-marketplace-common';
import { formatMicros, parseMicros } from './focus/decimal';

/** `YYYY-MM` of a date, UTC. */
export const monthOf = (date: Date) => date.toISOString().slice(0, 7);

/** The month `delta` months after (or before) `month`. */
export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number);
  return monthOf(new Date(Date.UTC(year, m - 1 + delta, 1)));
}

/** Micro-units of a limit (a forecast or budget); undefined when it is not a number ≥ 0. */
export function limitMicros(limit: unknown): bigint | undefined {
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
    return undefined;
  }
  return parseMicros(limit);
}

/** A number of micro-units, exact to 6 decimals. */
export const toNumber = (micros: bigint) => Number(formatMicros(micros));

/** Micro-units rounded half away from zero to cents, as a number. */
export function roundToCents(micros: bigint): number {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const cents = (abs + 5_000n) / 10_000n;
  const value = Number(cents) / 100;
  return negative && value !== 0 ? -value : value;
}

/** (actual − limit) / limit × 100 to one decimal; undefined for a limit of 0. */
export function percentOver(actual: bigint, limit: bigint): number | undefined {
  if (limit === 0n) return undefined;
  // in tenths of a percent, rounded half away from zero, exactly
  const diff = (actual - limit) * 1000n;
  const negative = diff < 0n;
  const abs = negative ? -diff : diff;
  const tenths = (abs * 2n + limit) / (2n * limit);
  const value = Number(tenths) / 10;
  return negative && value !== 0 ? -value : value;
}

/** Whether `actual` is more than `threshold` percent over `limit`, exactly. */
export function exceeds(
  actual: bigint,
  limit: bigint,
  threshold: number,
): boolean {
  // threshold has at most two decimals (checked at startup): compare in hundredths of a percent
  const t = BigInt(Math.round(threshold * 100));
  return actual * 10_000n > limit * (10_000n + t);
}

/** The limit an app's actuals are compared with: its budget in force, else its forecast. */
export function limitOf(
  budget: AppBudget | undefined,
  monthlyForecast: unknown,
): { micros: bigint; kind: 'budget' | 'forecast' } | undefined {
  if (budget) {
    const micros = limitMicros(budget.amount);
    if (micros !== undefined) return { micros, kind: 'budget' };
  }
  const micros = limitMicros(monthlyForecast);
  return micros === undefined ? undefined : { micros, kind: 'forecast' };
}
