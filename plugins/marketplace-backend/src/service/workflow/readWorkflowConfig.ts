import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  AUTOMATED_STAGE,
  DEFAULT_PROMOTION_STAGES,
  DISCOVER_EXPIRY_DAYS,
  TierId,
} from '@microapps/plugin-marketplace-common';

/** The workflow's settings from `marketplace.*`, checked once at startup. */
export interface WorkflowConfig {
  /** Stage ids per target tier, in order. */
  stages: Record<'vetted' | 'enterprise', string[]>;
  /** Reviewer groups per stage, lower case. */
  reviewers: Record<string, string[]>;
  /** The stage whose reviewers may grant exceptions. */
  exceptionGranterStage: string;
  /** The longest an exception may run, per tier it is needed for. */
  exceptionMaxDays: Record<TierId, number>;
  /** How long before its expiry the owners hear that an exception lapses. */
  exceptionWarnDays: number;
  /** Days a registered Discover app lives before it expires unless renewed. */
  discoverExpiresAfterDays: number;
  /** Days before its expiry that the owners of a Discover app are warned, largest first. */
  discoverWarnDaysBefore: number[];
}

/** When the owners of a Discover app are warned, in days before its expiry. */
export const DEFAULT_DISCOVER_WARN_DAYS = [14, 7, 1];

const DEFAULT_EXCEPTION_MAX_DAYS: Record<TierId, number> = {
  discover: 90,
  vetted: 30,
  enterprise: 14,
};

export function readWorkflowConfig(config: Config): WorkflowConfig {
  const stages = { ...DEFAULT_PROMOTION_STAGES } as Record<
    'vetted' | 'enterprise',
    string[]
  >;
  for (const tier of ['vetted', 'enterprise'] as const) {
    const key = `marketplace.promotion.stages.${tier}`;
    const configured = config.getOptionalStringArray(key);
    if (!configured) {
      stages[tier] = [...DEFAULT_PROMOTION_STAGES[tier]];
      continue;
    }
    if (!configured.length) {
      throw new InputError(`${key} must name at least one stage`);
    }
    if (new Set(configured).size !== configured.length) {
      throw new InputError(`${key} names a stage twice`);
    }
    stages[tier] = configured;
  }

  const reviewers: Record<string, string[]> = {};
  const reviewerConfig = config.getOptionalConfig('marketplace.reviewers');
  for (const stage of reviewerConfig?.keys() ?? []) {
    reviewers[stage] = reviewerConfig!
      .getStringArray(stage)
      .map(ref => ref.toLocaleLowerCase('en-US'));
  }
  for (const stage of [...stages.vetted, ...stages.enterprise]) {
    if (stage !== AUTOMATED_STAGE && !reviewers[stage]?.length) {
      // a stage nobody may sign would hold every request forever; say so at startup
      reviewers[stage] = [];
    }
  }

  const exceptionMaxDays = { ...DEFAULT_EXCEPTION_MAX_DAYS };
  for (const tier of Object.keys(exceptionMaxDays) as TierId[]) {
    const days = config.getOptionalNumber(
      `marketplace.exceptions.maxDays.${tier}`,
    );
    if (days === undefined) continue;
    if (!(days > 0)) {
      throw new InputError(
        `marketplace.exceptions.maxDays.${tier} must be a positive number of days`,
      );
    }
    exceptionMaxDays[tier] = days;
  }

  const expiryKey = 'marketplace.tiers.discover.expiresAfterDays';
  const discoverExpiresAfterDays =
    config.getOptionalNumber(expiryKey) ?? DISCOVER_EXPIRY_DAYS.default;
  if (
    !Number.isInteger(discoverExpiresAfterDays) ||
    discoverExpiresAfterDays < DISCOVER_EXPIRY_DAYS.min ||
    discoverExpiresAfterDays > DISCOVER_EXPIRY_DAYS.max
  ) {
    throw new InputError(
      `${expiryKey} must be a whole number of days from ${DISCOVER_EXPIRY_DAYS.min} to ${DISCOVER_EXPIRY_DAYS.max}, got ${discoverExpiresAfterDays}`,
    );
  }

  const warnKey = 'marketplace.tiers.discover.warnDaysBefore';
  const warnDays = config.has(warnKey)
    ? config.get<unknown>(warnKey)
    : DEFAULT_DISCOVER_WARN_DAYS;
  if (
    !Array.isArray(warnDays) ||
    !warnDays.every(
      d =>
        Number.isInteger(d) &&
        (d as number) > 0 &&
        (d as number) < discoverExpiresAfterDays,
    )
  ) {
    throw new InputError(
      `${warnKey} must be a list of whole numbers of days, each from 1 to ${
        discoverExpiresAfterDays - 1
      } (below ${expiryKey}), got ${JSON.stringify(warnDays)}`,
    );
  }
  const discoverWarnDaysBefore = [...new Set(warnDays as number[])].sort(
    (a, b) => b - a,
  );

  return {
    stages,
    reviewers,
    exceptionGranterStage:
      config.getOptionalString('marketplace.exceptions.granterStage') ??
      'security',
    exceptionMaxDays,
    exceptionWarnDays:
      config.getOptionalNumber('marketplace.exceptions.warnBeforeDays') ?? 3,
    discoverExpiresAfterDays,
    discoverWarnDaysBefore,
  };
}

/** Stages with no reviewer group configured: nobody could sign them. */
export function unstaffedStages(config: WorkflowConfig): string[] {
  return [...new Set([...config.stages.vetted, ...config.stages.enterprise])]
    .filter(s => s !== AUTOMATED_STAGE)
    .filter(s => !config.reviewers[s]?.length);
}
