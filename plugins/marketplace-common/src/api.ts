import type { GateException, PromotionRequest } from './promotions';
import type { GateResult, GateRunStatus, GateStatus } from './gates';
import type { TierId } from './tiers';

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
};

/** The governance state of one app. @public */
export type AppState = AppSummary & {
  expiresAt: string | null;
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
};

/** The answer of `GET /apps/{namespace}/{name}/gates`. @public */
export type GateRunResponse = {
  evaluatedAt: string | null;
  tier: TierId;
  status: GateRunStatus | 'pending';
  results: GateResult[];
};
