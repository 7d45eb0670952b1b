import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import {
  DEFAULT_SLA_RESPONSE_MINUTES,
  SlaTier,
} from '@microapps/plugin-marketplace-common';

/** `marketplace.support.*`, checked once at startup. */
export type SupportConfig = {
  /** Response target per SLA tier, in minutes. */
  slaTargets: Record<SlaTier, number>;
  /** How often the metrics providers are pulled. */
  pullEvery: HumanDuration;
};

const TARGETS_KEY = 'marketplace.support.slaTargets';
const PULL_KEY = 'marketplace.support.pullEvery';
const TIERS = Object.keys(DEFAULT_SLA_RESPONSE_MINUTES) as SlaTier[];

/**
 * Reads `marketplace.support`: the response targets (whole minutes above 0, per tier, the
 * others from DEFAULT_SLA_RESPONSE_MINUTES) and the pull schedule (default 15 minutes). A bad
 * value throws an error that names its key, so the backend refuses to start.
 */
export function readSupportConfig(config: Config): SupportConfig {
  const slaTargets = { ...DEFAULT_SLA_RESPONSE_MINUTES };
  const targets = config.getOptionalConfig(TARGETS_KEY);
  for (const key of targets?.keys() ?? []) {
    if (!TIERS.includes(key as SlaTier)) {
      throw new Error(
        `Invalid config ${TARGETS_KEY}.${key}: unknown SLA tier, expected one of ${TIERS.join(
          ', ',
        )}`,
      );
    }
    const value = targets!.getOptional(key);
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value <= 0 ||
      value > 525_600
    ) {
      throw new Error(
        `Invalid config ${TARGETS_KEY}.${key}: expected a whole number of minutes from 1 to 525600, got ${JSON.stringify(
          value,
        )}`,
      );
    }
    slaTargets[key as SlaTier] = value;
  }

  let pullEvery: HumanDuration = { minutes: 15 };
  if (config.has(PULL_KEY)) {
    try {
      // a HumanDuration object or an ISO 8601 duration string such as PT15M
      pullEvery = readDurationFromConfig(config, { key: PULL_KEY });
    } catch (error) {
      throw new Error(`Invalid config ${PULL_KEY}: ${error}`);
    }
  }
  return { slaTargets, pullEvery };
}
