import { parseMicros } from '../cost/focus/decimal';

/** Micro-units per cent (amounts are exact bigints of 6 decimals, see decimal.ts). */
const MICROS_PER_CENT = 10_000n;

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

/** An exact amount rounded to cents, half away from zero: 0.005 → 0.01, -0.005 → -0.01. */
export function toCents(micros: bigint): number {
  return Number(divideRounded(micros, MICROS_PER_CENT)) / 100;
}

/**
 * variance / forecast × 100, rounded half away from zero to one decimal, from the exact
 * amounts; undefined when the forecast is 0 (or below: a percentage of it means nothing).
 */
export function percentOf(
  variance: bigint,
  forecast: bigint,
): number | undefined {
  if (forecast <= 0n) return undefined;
  return Number(divideRounded(variance * 1000n, forecast)) / 10;
}
