import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  marketplace?: {
    cost?: {
      /** Currency of forecasts and actual costs in the API. Default EUR. */
      currency?: string;
      /** Import of actual costs from FinOps FOCUS 1.x CSV exports. */
      focus?: {
        /**
         * Folder (resolved against the working directory) whose `*.csv` files are imported,
         * each replacing the costs last imported from the file of the same name. Without it
         * nothing is imported and the job `marketplace-cost-import` is not scheduled.
         */
        directory?: string;
        /** The key, in the `Tags` JSON column, naming the app (its name or entity ref). Default `x_microapp`. */
        tagKey?: string;
        /** The column summed as the cost, e.g. `EffectiveCost`. Default `BilledCost`. */
        costColumn?: string;
        /** How often the folder is imported, e.g. `{ hours: 6 }` or `PT6H`. Default 6 hours. */
        importEvery?: HumanDuration | string;
      };
    };
    tiers?: {
      discover?: {
        /**
         * Days a Discover app lives after it is registered (`POST /internal/apps`, e.g. by
         * the scaffolder) before it expires unless renewed. A whole number from 30 to 90;
         * anything else stops the backend at startup. Registering an app again never moves
         * its expiry. Default 60.
         */
        expiresAfterDays?: number;
        /**
         * Days before its expiry that the owners of a Discover app are notified, each once per
         * expiry; a job that was down sends only the nearest missed one. Whole numbers, each
         * below `expiresAfterDays`; anything else stops the backend at startup. Default [14, 7, 1].
         */
        warnDaysBefore?: number[];
        /**
         * How often the expiry job (task `marketplace-discover-expiry`, once per cluster) sends
         * warnings and expires apps, e.g. `{ minutes: 30 }` or `PT30M`. Default 30 minutes.
         */
        expiryCheck?: HumanDuration | string;
      };
    };
    /** Groups (or users) whose members may demote apps and read reports and the whole audit log. Default: none. */
    admins?: string[];
    /**
     * Reviewer groups per stage, e.g. `security: [group:default/security-reviewers]`. Members
     * of sub-groups count. A stage without groups can never be signed. Default: none.
     */
    reviewers?: { [stage: string]: string[] };
    promotion?: {
      /** Stages per target tier, in order; `automated` is the gate check. */
      stages?: {
        /** Default: automated, security, compliance, cost. */
        vetted?: string[];
        /** Default: automated, security, compliance, cost, operations, budget. */
        enterprise?: string[];
      };
    };
    exceptions?: {
      /** The stage whose reviewers may grant exceptions. Default security. */
      granterStage?: string;
      /** The longest an exception may run, in days, for the tier it is needed for. */
      maxDays?: {
        /** Default 90. */
        discover?: number;
        /** Default 30. */
        vetted?: number;
        /** Default 14. */
        enterprise?: number;
      };
      /** Owners hear this many days before an exception lapses. Default 3. */
      warnBeforeDays?: number;
      /** How often lapses are recorded and warnings sent. Default every 10 minutes. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
