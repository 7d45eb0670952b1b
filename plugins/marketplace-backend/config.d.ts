import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  marketplace?: {
    cost?: {
      /**
       * Currency of forecasts, approved budgets and cost figures, an ISO 4217 code (anything
       * else stops the backend at startup). Actuals in another currency are stored but not
       * counted (no conversion). Default EUR.
       */
      currency?: string;
      /**
       * Overrun alerts: percent over the limit (the approved budget, else
       * `spec.cost.monthlyForecast`) at which the owners are alerted, each once per app and
       * month. Positive numbers up to 10000 with at most two decimals, each once; anything
       * else stops the backend at startup. An empty list turns alerts off. Default [25, 50, 100].
       */
      alertThresholds?: number[];
      /**
       * How often the cost import (task `marketplace-cost-import`, once per cluster, only when
       * there is a cost provider) reads every provider and then checks the alerts, e.g.
       * `{ hours: 6 }` or `PT6H`. Default: `focus.importEvery`, else 6 hours.
       */
      importEvery?: HumanDuration | string;
      /** The built-in cost provider `focus`: FinOps FOCUS 1.x CSV exports. */
      focus?: {
        /**
         * Folder (resolved against the working directory) whose `*.csv` files are imported,
         * each replacing the costs last imported from the file of the same name (source
         * `focus:<file>`). Without it the FOCUS provider is off.
         */
        directory?: string;
        /** The key, in the `Tags` JSON column, naming the app (its name or entity ref). Default `x_microapp`. */
        tagKey?: string;
        /**
         * The key, in the `Tags` JSON column, naming the cost center that a row without the app
         * tag is charged to; rows with neither stay unallocated. Must differ from `tagKey`.
         * Default `x_cost_center`.
         */
        costCenterTagKey?: string;
        /** The column summed as the cost, e.g. `EffectiveCost`. Default `BilledCost`. */
        costColumn?: string;
        /** Kept for older configs: how often the import runs when `marketplace.cost.importEvery` is not set. Default 6 hours. */
        importEvery?: HumanDuration | string;
        /**
         * Bounds of one file. A file over any of them is refused as a whole (logged with the
         * file, the limit and its key) and what was stored from it before is kept. A bad value
         * stops the backend at startup.
         */
        limits?: {
          /** Largest file, in bytes: a whole number from 1024. Default 1073741824 (1 GiB). */
          maxFileBytes?: number;
          /** Most data rows per file, good or malformed: a whole number from 1. Default 10000000. */
          maxRows?: number;
          /**
           * Largest record (the header too), in bytes of its fields' contents (delimiters and
           * quotes not counted): a whole number from 1024. Default 65536 (64 KiB).
           */
          maxRecordBytes?: number;
          /**
           * Longest the reading of one file may take, e.g. `{ minutes: 10 }` or `PT10M`; from
           * 1 second to 24 hours. Default 10 minutes.
           */
          timeout?: HumanDuration | string;
        };
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
    /** Idle detection: apps without an activity signal are flagged to their owners. */
    lifecycle?: {
      /**
       * Days without any activity signal (catalog change, reported usage, a module's signal)
       * after which an app is flagged idle, once per idle period. A whole number from 7 to
       * 365; anything else stops the backend at startup. Default 30.
       */
      idleAfterDays?: number;
      /**
       * How often the idle detection job (task `marketplace-idle-detection`, once per cluster)
       * runs, e.g. `{ hours: 24 }` or `P1D`. Catalog changes are seen at this resolution.
       * Default 24 hours.
       */
      idleCheckEvery?: HumanDuration | string;
    };
    /** Support and SLA: operational metrics, response targets and metrics providers. */
    support?: {
      /**
       * Response targets per SLA tier (`spec.support.slaTier`), in whole minutes from 1 to
       * 525600: an incident not acknowledged within its app's target is a breach. Tiers left
       * out keep their default; anything else stops the backend at startup. Default S1 60,
       * S2 240, S3 1440.
       */
      slaTargets?: {
        /** Default 60 (1 hour). */
        S1?: number;
        /** Default 240 (4 hours). */
        S2?: number;
        /** Default 1440 (24 hours). */
        S3?: number;
      };
      /**
       * How often the metrics providers are pulled (task `marketplace-metrics-pull`, once per
       * cluster; scheduled only when a module adds a provider), e.g. `{ minutes: 15 }` or
       * `PT15M`. Default 15 minutes.
       */
      pullEvery?: HumanDuration | string;
    };
    /** Bounds of the REST API's request bodies; a bad value stops the backend at startup. */
    api?: {
      /**
       * Largest JSON body of every route but metrics and gate runs, in bytes: a whole number from
       * 1024 to 104857600. A larger body is a 413 naming the limit. Default 102400 (100 kB).
       */
      maxBodyBytes?: number;
      /**
       * Largest JSON body of `POST /apps/{namespace}/{name}/metrics`, in bytes: a whole number
       * from 1024 to 104857600. A larger body is a 413 naming the limit. Default 5242880 (5 MB).
       */
      metricsMaxBodyBytes?: number;
      /**
       * Largest JSON body of `POST /internal/gate-runs` (the catalog module's gate results), in
       * bytes: a whole number from 1024 to 104857600. A larger body is a 413 naming the limit,
       * and the app keeps its last recorded run. Default 10485760 (10 MiB).
       */
      gateRunMaxBodyBytes?: number;
      /**
       * Deepest nesting of objects and arrays in a JSON body (`{}` is 1): a whole number from 5
       * (a gate run's findings) to 1000. A deeper body is a 400 naming where. Default 16.
       */
      maxJsonDepth?: number;
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
