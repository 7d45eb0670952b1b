import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { UsageIngestRequest } from '@microapps/plugin-marketplace-common';
import type { AppDirectory, AppRef } from '../../service/AppDirectory';
import { knownAppRef, serviceSubject } from '../../service/reportingService';
import { DAY_MS } from '../../service/lifecycle/expiryRules';
import type { ChangeRunner } from '../../service/workflow/ChangeRunner';
import type { DatabaseActivityStore } from './DatabaseActivityStore';

/** How far in the future a reported use may lie: clocks of reporting systems drift. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** The most uses one report may stand for. */
export const MAX_USAGE_COUNT = 1_000_000;

/** The answer of `POST /apps/{namespace}/{name}/usage`. */
export type UsageIngestResponse = {
  entityRef: string;
  /** The UTC day the uses were added to, `YYYY-MM-DD`. */
  day: string;
  /** Uses of the app on that day so far, this report included. */
  count: number;
};

/** Takes usage reports from other systems (service credentials only). */
export class UsageService {
  constructor(
    private readonly options: {
      store: DatabaseActivityStore;
      directory: Pick<AppDirectory, 'getApps'>;
      changes: Pick<ChangeRunner, 'afterCommit'>;
      idleAfterDays: number;
      now?: () => Date;
    },
  ) {}

  async ingest(
    ref: AppRef,
    body: UsageIngestRequest,
    credentials: BackstageCredentials,
  ): Promise<UsageIngestResponse> {
    const actor = serviceSubject(
      credentials,
      'Usage is reported by services (a plugin or an external access token), not users',
    );
    const now = this.options.now?.() ?? new Date();
    const { at, count } = validate(body ?? {}, now);
    const entityRef = await knownAppRef(this.options.directory, ref);
    const recorded = await this.options.store.recordUsage({
      entityRef,
      at,
      count,
      actor,
      activeSince: new Date(
        now.getTime() - this.options.idleAfterDays * DAY_MS,
      ),
    });
    if (recorded.cleared) {
      await this.options.changes.afterCommit({ audit: [recorded.cleared] });
    }
    return {
      entityRef: recorded.entityRef,
      day: recorded.day,
      count: recorded.count,
    };
  }
}

/** The report's time and count, or a 400 naming the field. */
function validate(
  body: UsageIngestRequest,
  now: Date,
): { at: Date; count: number } {
  let at = now;
  if (body.at !== undefined) {
    at = new Date(body.at);
    if (typeof body.at !== 'string' || Number.isNaN(at.getTime())) {
      throw new InputError(
        `at must be an ISO 8601 date-time, got '${body.at}'`,
      );
    }
    if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      throw new InputError(
        `at must not lie in the future (more than 5 minutes after ${now.toISOString()}), got '${
          body.at
        }'`,
      );
    }
  }
  const count = body.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > MAX_USAGE_COUNT) {
    throw new InputError(
      `count must be a whole number from 1 to ${MAX_USAGE_COUNT}, got ${JSON.stringify(
        body.count,
      )}`,
    );
  }
  return { at, count };
}
