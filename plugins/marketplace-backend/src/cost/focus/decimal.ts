/**
 * Exact decimal amounts as bigints of micro-units (6 decimals). Costs are summed exactly, so
 * the totals of a file do not depend on the order of its rows and a re-import yields the very
 * same values; `Number` sums would drift in the last digits.
 */
export const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
const PLAIN = /^([+-])?(\d*)(?:\.(\d*))?$/;
const EXPONENT = /^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;

/**
 * Parses a decimal such as `12.5`, `-0.000123456` or `1.2E-5` into micro-units, rounding half
 * away from zero beyond 6 decimals; undefined when it is not a number.
 */
export function parseMicros(value: string | number): bigint | undefined {
  let text = typeof value === 'number' ? String(value) : value.trim();
  if (EXPONENT.test(text)) {
    const n = Number(text);
    if (!Number.isFinite(n)) return undefined;
    text = n.toFixed(SCALE + 3);
  }
  const match = PLAIN.exec(text);
  if (!match) return undefined;
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  const digits = `${whole || '0'}${fraction
    .slice(0, SCALE)
    .padEnd(SCALE, '0')}`;
  let micros = BigInt(digits);
  if (fraction.length > SCALE && fraction.charCodeAt(SCALE) >= 53 /* '5' */) {
    micros += 1n;
  }
  return sign === '-' ? -micros : micros;
}

/** Formats micro-units as a plain decimal without trailing zeros: `12.5`, `-0.000123`, `0`. */
export function formatMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = abs / FACTOR;
  const fraction = (abs % FACTOR)
    .toString()
    .padStart(SCALE, '0')
    .replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : `${whole}`;
  return negative && abs !== 0n ? `-${text}` : text;
}
