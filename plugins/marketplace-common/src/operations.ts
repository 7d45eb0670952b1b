/**
 * Cost, support and activity figures of an app: what the backend computes from ingested
 * costs, metrics and usage, and what the cards, the Governance tab and the list show.
 */

/** The SLA tiers of `spec.support.slaTier`. @public */
export type SlaTier = 'S1' | 'S2' | 'S3';

/**
 * Response targets per SLA tier, in minutes, when `marketplace.support.slaTargets` does not
 * set them (S1 1 h, S2 4 h, S3 24 h). @public
 */
export const DEFAULT_SLA_RESPONSE_MINUTES: Readonly<Record<SlaTier, number>> =
  Object.freeze({ S1: 60, S2: 240, S3: 1440 });

/** Overrun thresholds in percent over the forecast (or budget) when not configured. @public */
export const DEFAULT_COST_ALERT_THRESHOLDS: readonly number[] = Object.freeze([
  25, 50, 100,
]);

/** The approved monthly budget of an app, recorded by the `budget` stage's approval. @public */
export type AppBudget = {
  amount: number;
  currency: string;
  approvedBy: string;
  approvedAt: string;
  /** The promotion request whose budget stage approved it. */
  promotionId: string;
};

/**
 * Actual cost against the limit for one month. The limit is the approved budget when there
 * is one, otherwise `spec.cost.monthlyForecast`. @public
 */
export type AppCostFigures = {
  /** `YYYY-MM`: the latest month with actuals, or the current month when there are none. */
  month: string;
  /** Summed over every cost source; absent when nothing was imported for the month. */
  actual?: number;
  /** What the actual is compared with. */
  limit: number;
  limitKind: 'forecast' | 'budget';
  /** actual − limit, rounded to cents. */
  variance?: number;
  /** (actual − limit) / limit × 100, one decimal; absent when the limit is 0. */
  variancePercent?: number;
  /** `no-data` without actuals; `over` when actual exceeds limit. */
  state: 'no-data' | 'within' | 'over';
  /** Thresholds (percent) that have fired for this month, ascending. */
  alertsFired: number[];
};

/** One month of operational figures, computed from the ingested samples and incidents. @public */
export type AppSlaFigures = {
  /** `YYYY-MM`. */
  month: string;
  slaTier?: SlaTier;
  /** The response target of the tier, in minutes. */
  responseTargetMinutes?: number;
  /** Share of availability samples that were up, 0..100, three decimals. */
  uptimePercent?: number;
  /** errors / requests × 100, three decimals; absent without requests. */
  errorRatePercent?: number;
  /** Incidents opened in the month. */
  incidents: number;
  /** Mean time to acknowledge, minutes, one decimal; over acknowledged incidents. */
  mttaMinutes?: number;
  /** Mean time to resolve, minutes, one decimal; over resolved incidents. */
  mttrMinutes?: number;
  /** Incidents of the month not acknowledged within the target (or still not, past it). */
  breaches: Array<{ incidentId: string; minutesToAcknowledge: number | null }>;
  /** `no-data` without samples or incidents; `breached` with any breach. */
  state: 'no-data' | 'met' | 'breached';
  /** The newest sample or incident update of any month, ISO. */
  lastReportedAt?: string;
};

/** Why a listing needs attention. @public */
export type AppOperationsFlag =
  /** Enterprise without `spec.support.runbook`. */
  | 'no-runbook'
  /** Enterprise without `spec.support.roster`. */
  | 'no-roster'
  /** Enterprise without metrics reported in the last 30 days. */
  | 'no-recent-metrics'
  /** No activity signal for `marketplace.lifecycle.idleAfterDays`. */
  | 'idle';

/** What the list shows per app. @public */
export type AppOperationsSummary = {
  cost: AppCostFigures;
  slaState: AppSlaFigures['state'];
  flags: AppOperationsFlag[];
};

/** What the Governance tab and cards show per app: the summary and the details. @public */
export type AppOperations = AppOperationsSummary & {
  cost: AppCostFigures & {
    budget?: AppBudget;
    /** Actuals of the last months with data, newest first (at most 6). */
    history: Array<{ month: string; actual: number }>;
  };
  sla: AppSlaFigures;
  flags: AppOperationsFlag[];
  /** The newest activity signal, ISO, and which signal it was. */
  lastActivity?: { at: string; signal: string };
};

/** The body of `POST /apps/{namespace}/{name}/metrics`. @public */
export type MetricsIngestRequest = {
  /** Availability samples; a sample with the same `at` replaces the stored one. */
  samples?: Array<{
    at: string;
    up: boolean;
    requests?: number;
    errors?: number;
  }>;
  /** Incidents, upserted by `id`: send the same id again when it is acknowledged or resolved. */
  incidents?: Array<{
    id: string;
    title?: string;
    openedAt: string;
    acknowledgedAt?: string;
    resolvedAt?: string;
  }>;
};

/** The body of `POST /apps/{namespace}/{name}/usage`. @public */
export type UsageIngestRequest = {
  /** When the app was used; defaults to now. */
  at?: string;
  /** How many uses this report stands for; default 1. */
  count?: number;
};

/** One row of the chargeback report. @public */
export type ChargebackRow = {
  /** Cost center, or owner (entity ref), depending on the group. */
  key: string;
  /** Display name of the cost center, when configured. */
  title?: string;
  apps: number;
  forecast: number;
  /** Cost center rows: the actuals of its apps plus `unallocated`. */
  actual: number;
  /** actual − forecast. */
  variance: number;
  /** (actual − forecast) / forecast × 100, one decimal; absent when the forecast is 0. */
  variancePercent?: number;
  /** Cost center rows: costs charged to the center but to none of its apps. */
  unallocated?: number;
};

/** The answer of `GET /reports/chargeback?month=YYYY-MM&format=json`. @public */
export type ChargebackReport = {
  month: string;
  currency: string;
  generatedAt: string;
  byCostCenter: ChargebackRow[];
  byOwner: ChargebackRow[];
  /** Every app of the month, with its cost center and owner, biggest overspend first. */
  apps: Array<{
    entityRef: string;
    title: string;
    owner: string;
    costCenter: string;
    tier: string;
    forecast: number;
    actual: number;
    variance: number;
    variancePercent?: number;
  }>;
  totals: {
    apps: number;
    forecast: number;
    actual: number;
    variance: number;
    variancePercent?: number;
  };
  /** Only when the month has no costs at all: the newest month with app costs, if any. */
  latestMonth?: string;
};
