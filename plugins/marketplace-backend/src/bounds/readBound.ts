import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * The whole number at `key`, from `min` to `max`; `fallback` when unset. Anything else stops
 * the backend at startup with an error naming the key, the range and the value.
 */
export function readWholeNumber(
  config: Config,
  key: string,
  bound: { min: number; max: number; fallback: number; unit: string },
): number {
  if (!config.has(key)) return bound.fallback;
  const value = config.getOptional(key);
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < bound.min ||
    value > bound.max
  ) {
    throw new InputError(
      `${key} must be a whole number of ${bound.unit} from ${bound.min} to ${
        bound.max
      }, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
