import type { GateException, PromotionRequest } from './promotions';
import type { GateResult, GateRunStatus, GateStatus } from './gates';
import type { TierId } from './tiers';
import type { AppOperations, AppOperationsSummary } from './operations';

/** Filters of `GET /apps`. @public */
export type ListAppsQuery = {
  tier?: TierId | 'expired';
  owner?: string;
  q?: string;
  gateStatus?: GateRunStatus | 'pending';
  /** `spec.data.classification` of the app. */
  classification?: 'public' | 'internal' | 'confidential' | 'restricted';
  /** `spec.cost.center` of the app, e.g. `CC-4711`. */
  costCenter?: string;
  limit?: number;
  cursor?: string;
};

/** One app in a list: what engineers browse by. @public */
export type AppSummary = {
  entityRef: string;
  namespace: string;
  name: string;
  title: string;
  description?: string;
  owner: string;
  /** The effective tier, or `expired`. */
  tier: TierId | 'expired';
  requestedTier: TierId;
  gateStatus: GateRunStatus | 'pending';
  evaluatedAt?: string;
  classification?: string;
  slaTier?: string;
  cost: { center: string; monthlyForecast: number; currency: string };
  /** Cost against forecast, SLA state and flags; absent from backends that compute none. */
  operations?: AppOperationsSummary;
};

/**
 * Whether a Discover app may be renewed now (`POST /apps/{namespace}/{name}/renew`), whatever
 * the caller's permission, why not, and when it was last renewed. @public
 */
export type AppRenewal = {
  allowed: boolean;
  /** Why it may not be renewed, e.g. `only Discover apps expire`. */
  reason?: string;
  /** When the app was last renewed. */
  renewedAt?: string;
};

/** The governance state of one app. @public */
export type AppState = AppSummary & {
  /** When a Discover app expires (or expired) unless renewed; null for other tiers. */
  expiresAt: string | null;
  /** Renewal of a Discover app; the backend always sends it. */
  renewal?: AppRenewal;
  gates: {
    status: GateRunStatus | 'pending';
    evaluatedAt?: string;
    counts: Partial<Record<GateStatus, number>>;
  };
  /** The open request, or the one returned to the submitter. */
  promotion: PromotionRequest | null;
  /** The most recent request that was approved or withdrawn, with its sign-offs. */
  lastDecided?: PromotionRequest | null;
  exceptions: GateException[];
  support: {
    slaTier?: string;
    roster?: string;
    contact?: string;
    runbook?: string;
  };
  /** Cost, SLA figures, flags and the last activity. */
  operations?: AppOperations;
};

/** The answer of `GET /apps/{namespace}/{name}/gates`. @public */
export type GateRunResponse = {
  evaluatedAt: string | null;
  tier: TierId;
  status: GateRunStatus | 'pending';
  results: GateResult[];
};
