import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * The whole number at `key`, from `min` to `max`; `fallback` when unset. Numeric strings count,
 * as `${ENV}` substitution gives them. Anything else stops the backend at startup with an error
 * naming the key, the range and the value.
 */
export function readWholeNumber(
  config: Config,
  key: string,
  bound: { min: number; max: number; fallback: number; unit: string },
): number {
  const refuse = (got: unknown) =>
    new InputError(
      `${key} must be a whole number of ${bound.unit} from ${bound.min} to ${
        bound.max
      }, got ${JSON.stringify(got)}`,
    );
  let value: number | undefined;
  try {
    value = config.getOptionalNumber(key);
  } catch {
    throw refuse(config.getOptional(key));
  }
  if (value === undefined) return bound.fallback;
  if (!Number.isInteger(value) || value < bound.min || value > bound.max) {
    throw refuse(value);
  }
  return value;
}
