import type { AppBudget } from '@microapps/plugin-marketplace-common';
import { formatMicros, parseMicros } from './focus/decimal';

/** n / d rounded half away from zero; d > 0. */
export function divideRounded(n: bigint, d: bigint): bigint {
  const abs = n < 0n ? -n : n;
  const q = (2n * abs + d) / (2n * d);
  return n < 0n ? -q : q;
}

/** Micro-units of a forecast or stored amount; 0 when it is not a number. */
export function toMicros(value: number | string | undefined): bigint {
  if (value === undefined) return 0n;
  return parseMicros(value) ?? 0n;
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

/** Micro-units rounded half away from zero to cents, as a number: 0.005 → 0.01, -0.005 → -0.01. */
export function roundToCents(micros: bigint): number {
  return Number(divideRounded(micros, 10_000n)) / 100;
}

/**
 * part / whole × 100, rounded half away from zero to one decimal, from the exact amounts;
 * undefined when `whole` is 0 or below (a percentage of it means nothing).
 */
export function percentOf(part: bigint, whole: bigint): number | undefined {
  if (whole <= 0n) return undefined;
  return Number(divideRounded(part * 1000n, whole)) / 10;
}

/** (actual − limit) / limit × 100 to one decimal; undefined for a limit of 0. */
export function percentOver(actual: bigint, limit: bigint): number | undefined {
  return percentOf(actual - limit, limit);
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
