import type { TierId } from './tiers';

/** The stage that checks gate results; every other stage is a human sign-off. @public */
export const AUTOMATED_STAGE = 'automated';

/** The stage whose approval records the app's approved monthly budget (`budget` in the sign-off). @public */
export const BUDGET_STAGE = 'budget';

/** Stages per target tier when `marketplace.promotion.stages` does not set them. @public */
export const DEFAULT_PROMOTION_STAGES: Readonly<
  Record<Exclude<TierId, 'discover'>, readonly string[]>
> = Object.freeze({
  vetted: [AUTOMATED_STAGE, 'security', 'compliance', 'cost'],
  enterprise: [
    AUTOMATED_STAGE,
    'security',
    'compliance',
    'cost',
    'operations',
    BUDGET_STAGE,
  ],
});

/**
 * Where a promotion request stands. `rejected` is returned to the submitter, who may resubmit
 * (a new revision) or withdraw it; `approved` and `withdrawn` are final.
 *
 * @public
 */
export type PromotionStatus = 'open' | 'rejected' | 'withdrawn' | 'approved';

/** A reviewer's decision on a stage. @public */
export type SignoffDecision = 'approve' | 'reject';

/** One recorded sign-off. @public */
export type Signoff = {
  id: string;
  stage: string;
  decision: SignoffDecision;
  comment: string;
  /** Entity ref of the reviewer. */
  reviewer: string;
  /** The revision of the request it was given for. */
  revision: number;
  createdAt: string;
  /** The approved monthly budget, on the approval of the `budget` stage. */
  budget?: number;
};

/** A gate that blocks the automated stage, with the findings no exception covers. @public */
export type StageBlocker = {
  gateId: string;
  status: string;
  findingIds: string[];
};

/** The state of one stage in the current revision. @public */
export type PromotionStage = {
  id: string;
  kind: 'automated' | 'human';
  /** `pending` waits for gates or a reviewer; `blocked` is an automated stage with blockers. */
  state: 'pending' | 'passed' | 'blocked' | 'approved' | 'rejected';
  /** Reviewer groups (human stages). */
  reviewers?: string[];
  /** The sign-off of this revision (human stages). */
  signoff?: Signoff;
  /** Why the automated stage does not pass. */
  blockers?: StageBlocker[];
  /** Why the automated stage is pending, e.g. no gate run at the target tier yet. */
  reason?: string;
  /**
   * Whether the caller may sign this stage now (human stages): a member of its reviewer
   * groups, including sub-groups as the membership resolver counts them, not the submitter,
   * and not an owner of the app. The permission policy, the request's status and the stage's
   * state still apply. Left out when the caller is not a signed-in user.
   */
  mayReview?: boolean;
};

/** A request to move an app up one or more tiers. @public */
export type PromotionRequest = {
  id: string;
  entityRef: string;
  fromTier: TierId;
  targetTier: TierId;
  status: PromotionStatus;
  /** Starts at 1; a resubmission after a reject adds one and starts the stages again. */
  revision: number;
  /** Entity ref of the user who asked. */
  submitter: string;
  comment?: string;
  createdAt: string;
  updatedAt: string;
  decidedAt?: string;
  /** The stages of the current revision, in order. */
  stages: PromotionStage[];
  /** The first stage that is not yet passed or approved. */
  currentStage?: string;
  /** Every sign-off of every revision, oldest first. */
  signoffs: Signoff[];
};

/** Whether an exception still counts. @public */
export type ExceptionStatus = 'active' | 'lapsed' | 'revoked';

/** A waiver for one finding of one gate, until it expires. @public */
export type GateException = {
  id: string;
  entityRef: string;
  gateId: string;
  findingId: string;
  reason: string;
  expiresAt: string;
  grantedBy: string;
  grantedAt: string;
  status: ExceptionStatus;
  revokedAt?: string;
  revokedBy?: string;
};

/** One entry of the append-only, hash-chained audit log. @public */
export type AuditEntry = {
  /** 1 for the first entry, then consecutive. */
  seq: number;
  at: string;
  /** Entity ref of the user or the service that acted. */
  actor: string;
  /** What happened, e.g. `promotion.created`, `signoff.recorded`, `tier.changed`. */
  action: string;
  entityRef: string | null;
  data: { [key: string]: unknown };
  /** The hash of the previous entry; 64 zeros for the first. */
  prevHash: string;
  /** SHA-256 (hex) of `prevHash` and the entry's canonical JSON. */
  hash: string;
};
