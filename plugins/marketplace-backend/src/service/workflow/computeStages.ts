import {
  applyExceptions,
  AUTOMATED_STAGE,
  ExceptionCover,
  findBlockers,
  getTier,
  PromotionRequest,
  PromotionStage,
  Signoff,
} from '@microapps/plugin-marketplace-common';
import type {
  PromotionRecord,
  StoredGateRun,
} from '../../database/MarketplaceStore';

/** The automated stage: the latest gate run at the target tier, with valid exceptions. */
export function automatedStage(options: {
  promotion: Pick<PromotionRecord, 'targetTier'>;
  latestRun?: StoredGateRun;
  exceptions: ExceptionCover[];
  now: Date;
}): PromotionStage {
  const { promotion, latestRun, exceptions, now } = options;
  const base = { id: AUTOMATED_STAGE, kind: 'automated' as const };
  if (!latestRun) {
    return { ...base, state: 'pending', reason: 'no gate results yet' };
  }
  if (latestRun.tier !== promotion.targetTier) {
    return {
      ...base,
      state: 'pending',
      reason: `waiting for the gates to be evaluated at ${
        getTier(promotion.targetTier).title
      }`,
    };
  }
  const blockers = findBlockers(
    applyExceptions(latestRun.results, exceptions, now),
  );
  return blockers.length
    ? { ...base, state: 'blocked', blockers }
    : { ...base, state: 'passed' };
}

/**
 * The stages of the current revision with their states, in order. With `mayReview`, the
 * human stages say whether the caller may sign them; without it they leave `mayReview` out.
 */
export function computeStages(options: {
  promotion: PromotionRecord;
  signoffs: Signoff[];
  automated: PromotionStage;
  reviewers: Record<string, string[]>;
  mayReview?: (stage: string) => boolean;
}): PromotionStage[] {
  const { promotion, signoffs, automated, reviewers, mayReview } = options;
  return promotion.stageIds.map(id => {
    if (id === AUTOMATED_STAGE) return automated;
    const signoff = signoffs.find(
      s => s.stage === id && s.revision === promotion.revision,
    );
    let state: PromotionStage['state'] = 'pending';
    if (signoff)
      state = signoff.decision === 'approve' ? 'approved' : 'rejected';
    return {
      id,
      kind: 'human',
      state,
      reviewers: reviewers[id] ?? [],
      ...(signoff && { signoff }),
      ...(mayReview && { mayReview: mayReview(id) }),
    };
  });
}

const isDone = (stage: PromotionStage) =>
  stage.state === 'passed' || stage.state === 'approved';

/** The API shape of a request. */
export function toPromotionRequest(
  promotion: PromotionRecord,
  stages: PromotionStage[],
  signoffs: Signoff[],
): PromotionRequest {
  const { stageIds: _, ...rest } = promotion;
  const current =
    promotion.status === 'open' ? stages.find(s => !isDone(s)) : undefined;
  return {
    ...rest,
    stages,
    ...(current && { currentStage: current.id }),
    signoffs,
  };
}

/** Every stage passed or approved: the tier may change. */
export function allStagesDone(stages: PromotionStage[]): boolean {
  return stages.every(isDone);
}

/** Human stages of the current revision that still wait for a decision. */
export function pendingHumanStages(stages: PromotionStage[]): string[] {
  return stages
    .filter(s => s.kind === 'human' && s.state === 'pending')
    .map(s => s.id);
}
