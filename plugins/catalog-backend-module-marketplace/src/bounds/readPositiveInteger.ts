import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * Reads a bound: a positive whole number, at most `max`. A wrong value throws an InputError
 * naming the full key (`<prefix>.<key>`); read at startup, that stops the backend.
 *
 * @internal
 */
export function readPositiveInteger(options: {
  /** The section the key is in. */
  config: Config | undefined;
  key: string;
  /** The section's own key, for the message, e.g. `marketplace.gates.sbom`. */
  prefix: string;
  fallback: number;
  max?: number;
}): number {
  const {
    config,
    key,
    prefix,
    fallback,
    max = Number.MAX_SAFE_INTEGER,
  } = options;
  const value = config?.getOptionalNumber(key) ?? fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InputError(
      `${prefix}.${key} must be a positive integer, got ${value}`,
    );
  }
  if (value > max) {
    throw new InputError(
      `${prefix}.${key} must be at most ${max}, got ${value}`,
    );
  }
  return value;
}
