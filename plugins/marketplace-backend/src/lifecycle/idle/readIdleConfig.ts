import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { HumanDuration } from '@backstage/types';
import { readWholeNumber } from '../../bounds/readBound';

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
  const days = readWholeNumber(config, DAYS_KEY, {
    ...IDLE_AFTER_DAYS_RANGE,
    fallback: DEFAULT_IDLE_AFTER_DAYS,
    unit: 'days',
  });
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
    idleAfterDays: days,
    checkEvery,
  };
}
