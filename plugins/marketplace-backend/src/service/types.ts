import type {
  GateException,
  PromotionRequest,
  GateResult,
  GateRunStatus,
  GateStatus,
  TierId,
} from '@microapps/plugin-marketplace-common';

/** Filters of `GET /apps`. */
export type ListAppsQuery = {
  tier?: TierId | 'expired';
  owner?: string;
  q?: string;
  gateStatus?: GateRunStatus | 'pending';
  limit?: number;
  cursor?: string;
};

/** One app in a list: what engineers browse by. */
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

/** The governance state of one app. */
export type AppState = AppSummary & {
  expiresAt: string | null;
  gates: {
    status: GateRunStatus | 'pending';
    evaluatedAt?: string;
    counts: Partial<Record<GateStatus, number>>;
  };
  /** The open request, or the one returned to the submitter. */
  promotion: PromotionRequest | null;
  exceptions: GateException[];
  support: {
    slaTier?: string;
    roster?: string;
    contact?: string;
    runbook?: string;
  };
};

/** The answer of `GET /apps/{namespace}/{name}/gates`. */
export type GateRunResponse = {
  evaluatedAt: string | null;
  tier: TierId;
  status: GateRunStatus | 'pending';
  results: GateResult[];
};
