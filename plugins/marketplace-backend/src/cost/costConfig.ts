import path from 'node:path';
import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { HumanDuration } from '@backstage/types';
import { DEFAULT_COST_ALERT_THRESHOLDS } from '@microapps/plugin-marketplace-common';
import {
  DEFAULT_COST_CENTER_TAG_KEY,
  DEFAULT_COST_COLUMN,
  DEFAULT_TAG_KEY,
} from './focus/parseFocusCsv';

/** `marketplace.cost.focus`: the built-in FOCUS CSV provider. */
export type FocusConfig = {
  /** Absolute folder of the `*.csv` exports. */
  directory: string;
  tagKey: string;
  costCenterTagKey: string;
  costColumn: string;
};

/** The cost settings from `marketplace.cost.*`, checked once at startup. */
export type CostConfig = {
  /** Currency of forecasts, budgets and the figures; actuals in another one are not counted. */
  currency: string;
  /** Percent over the limit at which an overrun alert fires, ascending. */
  alertThresholds: number[];
  /** How often the cost import (and then the alert check) runs. */
  importEvery: HumanDuration;
  /** Set when `marketplace.cost.focus.directory` is. */
  focus?: FocusConfig;
};

const THRESHOLDS_KEY = 'marketplace.cost.alertThresholds';

function readThresholds(config: Config): number[] {
  if (!config.has(THRESHOLDS_KEY)) return [...DEFAULT_COST_ALERT_THRESHOLDS];
  const value = config.getOptional(THRESHOLDS_KEY);
  const bad = (why: string) =>
    new InputError(
      `${THRESHOLDS_KEY} must be a list of positive numbers (percent over the forecast or budget, at most two decimals, up to 10000), ${why}; got ${JSON.stringify(
        value,
      )}`,
    );
  if (!Array.isArray(value)) throw bad('not a list');
  for (const t of value) {
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 10000) {
      throw bad(`not ${JSON.stringify(t)}`);
    }
    if (Math.abs(t * 100 - Math.round(t * 100)) > 1e-9) {
      throw bad(`${t} has more than two decimals`);
    }
  }
  const thresholds = value as number[];
  if (new Set(thresholds).size !== thresholds.length) {
    throw bad('each threshold once');
  }
  return [...thresholds].sort((a, b) => a - b);
}

function readImportEvery(config: Config): HumanDuration {
  // marketplace.cost.focus.importEvery came first; the general key wins
  for (const [parent, key] of [
    ['marketplace.cost', 'importEvery'],
    ['marketplace.cost.focus', 'importEvery'],
  ]) {
    const section = config.getOptionalConfig(parent);
    if (section?.has(key)) {
      try {
        return readDurationFromConfig(section, { key });
      } catch (error) {
        throw new InputError(
          `${parent}.${key} must be a duration such as { hours: 6 } or PT6H: ${error}`,
        );
      }
    }
  }
  return { hours: 6 };
}

/** `marketplace.cost.focus`, or undefined when no `directory` is set (then no FOCUS import). */
export function readFocusConfig(config: Config): FocusConfig | undefined {
  const focus = config.getOptionalConfig('marketplace.cost.focus');
  const directory = focus?.getOptionalString('directory');
  if (!focus || !directory) return undefined;
  const tagKey = focus.getOptionalString('tagKey') ?? DEFAULT_TAG_KEY;
  const costCenterTagKey =
    focus.getOptionalString('costCenterTagKey') ?? DEFAULT_COST_CENTER_TAG_KEY;
  if (tagKey === costCenterTagKey) {
    throw new InputError(
      `marketplace.cost.focus.costCenterTagKey must differ from marketplace.cost.focus.tagKey ('${tagKey}')`,
    );
  }
  return {
    directory: path.resolve(process.cwd(), directory),
    tagKey,
    costCenterTagKey,
    costColumn: focus.getOptionalString('costColumn') ?? DEFAULT_COST_COLUMN,
  };
}

/** Reads and checks `marketplace.cost`; a bad value fails startup with an error naming its key. */
export function readCostConfig(config: Config): CostConfig {
  const currency =
    config.getOptionalString('marketplace.cost.currency') ?? 'EUR';
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new InputError(
      `marketplace.cost.currency must be an ISO 4217 code such as EUR, got '${currency}'`,
    );
  }
  return {
    currency,
    alertThresholds: readThresholds(config),
    importEvery: readImportEvery(config),
    focus: readFocusConfig(config),
  };
}
