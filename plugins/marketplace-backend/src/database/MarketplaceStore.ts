import type {
  AppBudget,
  AuditEntry,
  GateException,
  GateRun,
  GateRunStatus,
  PromotionRequest,
  PromotionStatus,
  Signoff,
  SignoffDecision,
  TierId,
} from '@microapps/plugin-marketplace-common';

/** A stored gate run, with its id. */
export interface StoredGateRun extends GateRun {
  id: string;
}

/** A sign-off with the request it belongs to. */
export type StoredSignoff = Signoff & { promotionId: string };

/** The marketplace's own record of an app. */
export interface AppRecord {
  entityRef: string;
  requestedTier: TierId;
  /** The tier the workflow approved; `discover` until a promotion is approved. */
  effectiveTier: TierId;
  gateStatus: GateRunStatus;
  latestRunId?: string;
  firstSeenAt: string;
  updatedAt: string;
  tierChangedAt?: string;
  /** When the app was registered with the marketplace; unset for apps only seen by gate runs. */
  registeredAt?: string;
  /** When a Discover app expires unless renewed; unset when it never had an expiry. */
  expiresAt?: string;
  /** Who registered it: the user who created it, or the plugin that registered it. */
  registeredBy?: string;
  /** When the expiry job recorded that the app expired; cleared by a renewal. */
  expiredAt?: string;
  /** When the app was last renewed, and by whom. */
  renewedAt?: string;
  renewedBy?: string;
}

/** A Discover app whose expiry is near or past, with the warnings sent for that expiry. */
export interface ExpiryCandidate {
  app: AppRecord;
  /** `days_before` of the warnings already sent for the app's current expiry. */
  warnedDays: number[];
}

/**
 * A promotion request as stored: the API's request without what the service derives (stage
 * states, the current stage, sign-offs), plus the stage ids of the current revision.
 */
export type PromotionRecord = Omit<
  PromotionRequest,
  'stages' | 'currentStage' | 'signoffs'
> & {
  /** Stage ids of the current revision, in order. */
  stageIds: string[];
};

/** What an audit entry says; sequence, time and hashes are added by the log. */
export interface AuditInput {
  actor: string;
  action: string;
  entityRef: string | null;
  data: { [key: string]: unknown };
}

/** Filters of promotion lists. */
export interface PromotionFilter {
  statuses?: PromotionStatus[];
  entityRef?: string;
  submitter?: string;
  limit?: number;
  /** Rows to skip, for paging in the order listed (newest change first). */
  offset?: number;
}

/**
 * One transaction that holds the lock of one app: every workflow change of that app runs in
 * one, reads what it decides on inside it, and appends its audit entries to it, so a change
 * and its audit entry are stored together or not at all.
 */
export interface AppTransaction {
  /** The app's record (created in Discover when first seen), locked until the end. */
  readonly app: AppRecord;
  getLatestGateRun(): Promise<StoredGateRun | undefined>;
  getActivePromotion(): Promise<PromotionRecord | undefined>;
  getPromotion(id: string): Promise<PromotionRecord | undefined>;
  insertPromotion(promotion: PromotionRecord): Promise<void>;
  updatePromotion(
    id: string,
    patch: Partial<
      Pick<
        PromotionRecord,
        | 'status'
        | 'revision'
        | 'stageIds'
        | 'updatedAt'
        | 'decidedAt'
        | 'comment'
      >
    >,
  ): Promise<void>;
  listSignoffs(promotionId: string): Promise<Signoff[]>;
  /** Throws ConflictError when the stage of this revision already has a decision. */
  insertSignoff(signoff: {
    promotionId: string;
    revision: number;
    stage: string;
    decision: SignoffDecision;
    comment: string;
    reviewer: string;
    createdAt: string;
    /** The monthly budget an approval of the `budget` stage records. */
    budget?: number;
  }): Promise<Signoff>;
  setEffectiveTier(tier: TierId, at: string): Promise<void>;
  listExceptions(): Promise<GateException[]>;
  insertException(exception: GateException): Promise<void>;
  markExceptions(
    ids: string[],
    patch: { lapsedAt?: string; warnedAt?: string },
  ): Promise<void>;
  /**
   * Records that the owners were warned `daysBefore` days ahead of the expiry `expiresAt`;
   * false (and nothing written) when that warning was recorded before.
   */
  recordExpiryWarning(warning: {
    expiresAt: string;
    daysBefore: number;
    sentAt: string;
  }): Promise<boolean>;
  /** Records that the app expired. */
  markExpired(at: string): Promise<void>;
  /** Gives the app a new expiry, records who renewed it and clears its expiry record. */
  renew(renewal: {
    expiresAt: string;
    renewedAt: string;
    renewedBy: string;
  }): Promise<void>;
  /** Records the app's approved monthly budget; the newest one is in force. */
  recordBudget(budget: AppBudget): Promise<void>;
  /** The app's budget in force (the newest approved), if any. */
  getBudget(): Promise<AppBudget | undefined>;
  /**
   * Records that an overrun alert fired for the app; false (and nothing written) when that
   * month's threshold fired before.
   */
  recordCostAlert(alert: {
    month: string;
    threshold: number;
    /** Exact decimals. */
    actual: string;
    limit: string;
    limitKind: 'forecast' | 'budget';
    currency: string;
    firedAt: string;
  }): Promise<boolean>;
  appendAudit(input: AuditInput): Promise<AuditEntry>;
}

/** Storage of the marketplace. */
export interface MarketplaceStore {
  /**
   * Stores a run. When the app's latest run has the same input hash and results, only its
   * evaluation time is refreshed (`created: false`); otherwise a new history row is added
   * and audited.
   */
  recordGateRun(
    run: GateRun,
    actor: string,
  ): Promise<{ id: string; created: boolean; audit?: AuditEntry }>;
  getLatestGateRun(entityRef: string): Promise<StoredGateRun | undefined>;
  /** The latest runs of many apps, by lower-case entity ref. */
  getLatestGateRuns(entityRefs: string[]): Promise<Map<string, StoredGateRun>>;
  listGateRuns(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<StoredGateRun[]>;
  getApps(entityRefs: string[]): Promise<Map<string, AppRecord>>;
  /**
   * Registers an app, in one transaction under its lock: creates its row in Discover when
   * missing and, unless it is registered already, sets when and by whom, its expiry (only in
   * Discover) and appends an `app.registered` audit entry. A registered app is returned as
   * it is (`created: false`, no audit entry, expiry untouched).
   */
  registerApp(registration: {
    entityRef: string;
    registeredBy: string;
    /** The audit entry's actor: the calling plugin. */
    actor: string;
    registeredAt: Date;
    /** The expiry it gets when its effective tier is Discover. */
    discoverExpiresAt: Date;
  }): Promise<{ app: AppRecord; created: boolean; audit?: AuditEntry }>;

  /** Runs `fn` in one transaction holding the app's lock. */
  inAppTransaction<T>(
    entityRef: string,
    fn: (tx: AppTransaction) => Promise<T>,
  ): Promise<T>;
  getPromotion(id: string): Promise<PromotionRecord | undefined>;
  listPromotions(filter: PromotionFilter): Promise<PromotionRecord[]>;
  /** Open or returned promotions of these apps, by lower-case entity ref. */
  getActivePromotions(
    entityRefs: string[],
  ): Promise<Map<string, PromotionRecord>>;
  listSignoffs(promotionIds: string[]): Promise<StoredSignoff[]>;
  /** Exceptions of these apps (all, or only those not revoked and not expired at `validAt`). */
  listExceptions(
    entityRefs: string[],
    options?: { validAt?: Date },
  ): Promise<GateException[]>;
  /** Exceptions that expired before `now` and whose lapse is not recorded yet. */
  listUnrecordedLapses(now: Date): Promise<GateException[]>;
  /** Valid exceptions that expire before `before` and whose owners were not warned yet. */
  listUnwarnedExpiring(now: Date, before: Date): Promise<GateException[]>;
  /**
   * Discover apps that expire by `warnUntil` and whose expiry is not recorded yet: those due
   * a warning, and those (with an expiry at or before `now`) due to expire. Oldest expiry
   * first (then by ref); `after` continues after the last candidate of the previous page.
   */
  listExpiryCandidates(options: {
    now: Date;
    warnUntil: Date;
    limit?: number;
    after?: { expiresAt: string; entityRef: string };
  }): Promise<ExpiryCandidate[]>;

  listAudit(options: {
    entityRef?: string;
    afterSeq?: number;
    limit: number;
  }): Promise<AuditEntry[]>;
  /** Reads the log in order, a batch at a time, up to entry `upTo` when given. */
  scanAudit(
    batchSize: number,
    onBatch: (entries: AuditEntry[]) => void,
    options?: { upTo?: number },
  ): Promise<void>;
  getAuditHead(): Promise<{ seq: number; hash: string }>;
}
