import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { HumanDuration } from '@backstage/types';

const DAYS_KEY = 'marketplace.lifecycle.idleAfterDays';
const EVERY_KEY = 'marketplace.lifecycle.idleCheckEvery';

/** Days without activity after which an app is idle, when not configured. */
export const DEFAULT_IDLE_AFTER_DAYS = 30;
/** The bounds of `marketplace.lifecycle.idleAfterDays`. */
export const IDLE_AFTER_DAYS_RANGE = { min: 7, max: 365 } as const;

/** Idle detection's settings from `marketplace.lifecycle.*`, checked once at startup. */
export interface IdleConfig {
  idleAfterDays: number;
  checkEvery: HumanDuration;
}

export function readIdleConfig(config: Config): IdleConfig {
  const { min, max } = IDLE_AFTER_DAYS_RANGE;
  const refuse = (got: unknown) =>
    new InputError(
      `${DAYS_KEY} must be a whole number of days from ${min} to ${max}, got ${JSON.stringify(
        got,
      )}`,
    );
  let days: number | undefined;
  try {
    // numbers, and numeric strings as environment variables give them
    days = config.getOptionalNumber(DAYS_KEY);
  } catch {
    throw refuse(config.getOptional(DAYS_KEY));
  }
  if (
    days !== undefined &&
    !(Number.isInteger(days) && days >= min && days <= max)
  ) {
    throw refuse(days);
  }
  let checkEvery: HumanDuration = { hours: 24 };
  if (config.has(EVERY_KEY)) {
    try {
      // a HumanDuration object or an ISO 8601 duration string such as P1D
      checkEvery = readDurationFromConfig(config, { key: EVERY_KEY });
    } catch (error) {
      throw new InputError(
        `${EVERY_KEY} must be a duration such as { hours: 24 } or P1D: ${error}`,
      );
    }
  }
  return {
    idleAfterDays: days ?? DEFAULT_IDLE_AFTER_DAYS,
    checkEvery,
  };
}
