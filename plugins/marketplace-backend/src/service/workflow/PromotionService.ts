import { randomUUID } from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuditEntry,
  compareTiers,
  getTier,
  MicroAppEntityV1alpha1,
  PromotionRequest,
  PromotionStatus,
  promotionRequestPermission,
  promotionReviewPermission,
  SignoffDecision,
  TierId,
  BUDGET_STAGE,
} from '@microapps/plugin-marketplace-common';
import type {
  AppTransaction,
  PromotionRecord,
} from '../../database/MarketplaceStore';
import { userOf } from '../actorOf';
import { appEntityRef, governanceLink, ownersOf } from '../AppDirectory';
import type { Notice } from '../Notifier';
import { groupBy } from '../groupBy';
import type { ChangeOutcome } from './ChangeRunner';
import {
  allStagesDone,
  automatedStage,
  computeStages,
  pendingHumanStages,
  toPromotionRequest,
} from './computeStages';
import { signoffRefusal, type Signer } from './signoffRefusal';
import { nowOf, type WorkflowDeps } from './WorkflowDeps';

/** Filters of `GET /promotions`. */

/** Refuses a `budget` where none is taken, and an approval of the budget stage without one. */
function budgetRefusal(body: {
  stage: string;
  decision: SignoffDecision;
  budget?: number;
}): string | undefined {
  const { stage, decision, budget } = body;
  if (budget === undefined || budget === null) {
    return stage === BUDGET_STAGE && decision === 'approve'
      ? 'budget is required: approving the budget stage records the approved monthly budget'
      : undefined;
  }
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) {
    return `budget must be a positive number, got ${JSON.stringify(budget)}`;
  }
  if (decision !== 'approve') {
    return 'budget is only taken with an approval: a reject records no budget';
  }
  if (stage !== BUDGET_STAGE) {
    return `budget is only taken by the '${BUDGET_STAGE}' stage, not by '${stage}'`;
  }
  return undefined;
}

/** Requests read from the store per round while listing. */
const LIST_BATCH = 200;

export interface PromotionQuery {
  status?: PromotionStatus;
  stage?: string;
  mine?: boolean;
  entityRef?: string;
  limit?: number;
}

/**
 * Promotion requests: creation, staged sign-offs with separation of duties, rejection and
 * resubmission, withdrawal, and the one tier change when every stage is done.
 */
export class PromotionService {
  constructor(
    private readonly options: WorkflowDeps & {
      /** The currency of approved budgets (`marketplace.cost.currency`); default EUR. */
      currency?: string;
    },
  ) {}

  private now() {
    return nowOf(this.options);
  }

  async create(
    body: { entityRef: string; targetTier: TierId; comment?: string },
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const { directory, guard, changes, config } = this.options;
    const submitter = userOf(credentials);
    const entity = await directory.getVisibleApp(body.entityRef, credentials);
    const entityRef = appEntityRef(body.entityRef);
    await guard.requireFor(promotionRequestPermission, entityRef, credentials);
    if (body.targetTier === 'discover') {
      throw new InputError('targetTier must be vetted or enterprise');
    }
    const stageIds = config.stages[body.targetTier];

    return changes.run(entityRef, async tx => {
      const fromTier = tx.app.effectiveTier;
      if (compareTiers(body.targetTier, fromTier) <= 0) {
        throw new ConflictError(
          `'${entityRef}' is already ${
            getTier(fromTier).title
          }; targetTier must be above it`,
        );
      }
      const active = await tx.getActivePromotion();
      if (active) {
        throw new ConflictError(
          `A promotion of '${entityRef}' is already ${active.status} (id ${active.id})`,
        );
      }
      const at = this.now().toISOString();
      const promotion: PromotionRecord = {
        id: randomUUID(),
        entityRef,
        fromTier,
        targetTier: body.targetTier,
        status: 'open',
        revision: 1,
        submitter,
        ...(body.comment && { comment: body.comment }),
        stageIds,
        createdAt: at,
        updatedAt: at,
      };
      await tx.insertPromotion(promotion);
      const entry = await tx.appendAudit({
        actor: submitter,
        action: 'promotion.created',
        entityRef,
        data: {
          promotionId: promotion.id,
          fromTier,
          targetTier: body.targetTier,
          stages: stageIds,
          comment: body.comment ?? null,
        },
      });
      return this.opened(tx, promotion, entry, submitter, entity);
    });
  }

  async signoff(
    id: string,
    body: {
      stage: string;
      decision: SignoffDecision;
      comment: string;
      /** The approved monthly budget: required to approve the `budget` stage, refused elsewhere. */
      budget?: number;
    },
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const { directory, guard, changes, membership, config } = this.options;
    const reviewer = userOf(credentials);
    const found = await this.getVisible(id, credentials);
    // a decided request is a conflict for anyone who may see it, before who may review it
    if (found.status !== 'open') {
      throw new ConflictError(
        `Promotion '${id}' is ${found.status}; only open requests take sign-offs`,
      );
    }
    await guard
      .requireFor(promotionReviewPermission, found.entityRef, credentials)
      .catch(async error => {
        // decided meanwhile: the policy no longer sees an open request to review
        const now = await this.options.store.getPromotion(id);
        if (now && now.status !== 'open') {
          throw new ConflictError(
            `Promotion '${id}' is ${now.status}; only open requests take sign-offs`,
          );
        }
        throw error;
      });
    // a sign-off is evidence: it says what was checked, or why it was refused
    if (!body.comment.trim()) {
      throw new InputError(
        body.decision === 'reject'
          ? 'comment is required: a reject must give reasons'
          : 'comment is required: an approval must say what was checked',
      );
    }
    const budgetProblem = budgetRefusal(body);
    if (budgetProblem) throw new InputError(budgetProblem);
    const budget =
      body.budget === undefined || body.budget === null
        ? undefined
        : { amount: body.budget, currency: this.options.currency ?? 'EUR' };
    const [entity] = (await directory.getApps([found.entityRef])).values();
    const owners = entity ? ownersOf(entity) : [];
    const claims = await membership.getClaims(reviewer);

    return changes.run(found.entityRef, async tx => {
      const promotion = await tx.getPromotion(id);
      if (!promotion) throw new NotFoundError(`No promotion '${id}'`);
      if (promotion.status !== 'open') {
        throw new ConflictError(
          `Promotion '${id}' is ${promotion.status}; only open requests take sign-offs`,
        );
      }
      if (
        !promotion.stageIds.includes(body.stage) ||
        body.stage === 'automated'
      ) {
        throw new InputError(
          `stage '${
            body.stage
          }' is not a human stage of this request (${promotion.stageIds
            .filter(s => s !== 'automated')
            .join(', ')})`,
        );
      }
      // separation of duties holds whatever the permission policy says
      const refusal = signoffRefusal({
        signer: { user: reviewer, claims },
        stage: body.stage,
        submitter: promotion.submitter,
        owners,
        reviewers: config.reviewers,
      });
      if (refusal) throw new NotAllowedError(refusal);
      const stages = await this.stagesInTx(tx, promotion);
      const stage = stages.find(s => s.id === body.stage)!;
      if (stage.state !== 'pending') {
        throw new ConflictError(
          `Stage '${body.stage}' of revision ${promotion.revision} is already ${stage.state}`,
        );
      }
      const automated = stages.find(s => s.kind === 'automated');
      if (
        body.decision === 'approve' &&
        automated &&
        automated.state !== 'passed'
      ) {
        throw new ConflictError(
          `The automated stage is ${automated.state}${
            automated.reason ? ` (${automated.reason})` : ''
          }; approvals wait until every blocking gate passes or is excepted`,
        );
      }

      const at = this.now().toISOString();
      await tx.insertSignoff({
        promotionId: id,
        revision: promotion.revision,
        stage: body.stage,
        decision: body.decision,
        comment: body.comment,
        reviewer,
        createdAt: at,
        ...(budget && { budget: budget.amount }),
      });
      // the budget is in force from this approval on, whether or not the request completes
      if (budget) {
        await tx.recordBudget({
          ...budget,
          approvedBy: reviewer,
          approvedAt: at,
          promotionId: id,
        });
      }
      let next: PromotionRecord = { ...promotion, updatedAt: at };
      let tierChange: { from: TierId; to: TierId } | undefined;
      if (body.decision === 'reject') {
        next = { ...next, status: 'rejected' };
        await tx.updatePromotion(id, { status: 'rejected', updatedAt: at });
      } else {
        await tx.updatePromotion(id, { updatedAt: at });
        const done = await this.completeIfDone(tx, next, at);
        next = done.promotion;
        tierChange = done.tierChange;
      }
      const entry = await tx.appendAudit({
        actor: reviewer,
        action: 'signoff.recorded',
        entityRef: promotion.entityRef,
        data: {
          promotionId: id,
          revision: promotion.revision,
          stage: body.stage,
          decision: body.decision,
          comment: body.comment,
          promotionStatus: next.status,
          tierChange: tierChange ?? null,
          ...(budget && { budget }),
        },
      });
      const view = await this.describeInTx(tx, next);
      return {
        result: view,
        audit: [entry],
        notices: this.decisionNotices(
          view,
          body.decision,
          body.stage,
          tierChange,
        ),
        refresh: tierChange ? [promotion.entityRef] : [],
      };
    });
  }

  async resubmit(
    id: string,
    body: { comment?: string },
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const { guard, changes, config, directory } = this.options;
    const actor = userOf(credentials);
    const found = await this.getVisible(id, credentials);
    await guard.requireFor(
      promotionRequestPermission,
      found.entityRef,
      credentials,
    );
    const [entity] = (await directory.getApps([found.entityRef])).values();
    return changes.run(found.entityRef, async tx => {
      const promotion = await tx.getPromotion(id);
      if (!promotion) throw new NotFoundError(`No promotion '${id}'`);
      if (promotion.status !== 'rejected') {
        throw new ConflictError(
          `Promotion '${id}' is ${promotion.status}; only a rejected request can be resubmitted`,
        );
      }
      const at = this.now().toISOString();
      const next: PromotionRecord = {
        ...promotion,
        status: 'open',
        revision: promotion.revision + 1,
        stageIds:
          config.stages[promotion.targetTier as 'vetted' | 'enterprise'],
        updatedAt: at,
        ...(body.comment && { comment: body.comment }),
      };
      await tx.updatePromotion(id, {
        status: next.status,
        revision: next.revision,
        stageIds: next.stageIds,
        updatedAt: at,
        ...(body.comment && { comment: body.comment }),
      });
      const entry = await tx.appendAudit({
        actor,
        action: 'promotion.resubmitted',
        entityRef: promotion.entityRef,
        data: {
          promotionId: id,
          revision: next.revision,
          comment: body.comment ?? null,
        },
      });
      return this.opened(tx, next, entry, actor, entity);
    });
  }

  async withdraw(
    id: string,
    body: { reason?: string },
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const { guard, changes } = this.options;
    const actor = userOf(credentials);
    const found = await this.getVisible(id, credentials);
    await guard.requireFor(
      promotionRequestPermission,
      found.entityRef,
      credentials,
    );
    return changes.run(found.entityRef, async tx => {
      const promotion = await tx.getPromotion(id);
      if (!promotion) throw new NotFoundError(`No promotion '${id}'`);
      if (promotion.status !== 'open' && promotion.status !== 'rejected') {
        throw new ConflictError(
          `Promotion '${id}' is ${promotion.status}; it can no longer be withdrawn`,
        );
      }
      const at = this.now().toISOString();
      const next: PromotionRecord = {
        ...promotion,
        status: 'withdrawn',
        updatedAt: at,
        decidedAt: at,
      };
      await tx.updatePromotion(id, {
        status: 'withdrawn',
        updatedAt: at,
        decidedAt: at,
      });
      const entry = await tx.appendAudit({
        actor,
        action: 'promotion.withdrawn',
        entityRef: promotion.entityRef,
        data: { promotionId: id, reason: body.reason ?? null },
      });
      return {
        result: await this.describeInTx(tx, next),
        audit: [entry],
        refresh: [promotion.entityRef],
      };
    });
  }

  /**
   * Completes an open request whose stages are all done, e.g. when the last thing it waited
   * for was the gates or an exception rather than a sign-off. Called after gate runs and
   * exceptions; a no-op for apps without such a request.
   */
  async advanceApp(entityRef: string, actor: string): Promise<void> {
    const active = await this.options.store.getActivePromotions([entityRef]);
    const candidate = [...active.values()][0];
    if (!candidate || candidate.status !== 'open') return;
    await this.options.changes.run(entityRef, async tx => {
      const promotion = await tx.getActivePromotion();
      if (!promotion || promotion.status !== 'open') {
        return { result: undefined, audit: [] };
      }
      const { audit } = await this.advance(tx, promotion, actor);
      return {
        result: undefined,
        audit,
        refresh: audit.length ? [entityRef] : [],
      };
    });
  }

  async get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionRequest> {
    const promotion = await this.getVisible(id, credentials);
    const [view] = await this.describe(
      [promotion],
      await this.signerOf(credentials),
    );
    return view;
  }

  /**
   * Pages through the store until `limit` requests the caller may see (and that match
   * `stage` and `mine`) are found, so hidden requests never take a visible one's place: a
   * page's length must not depend on what the caller may not see.
   */
  async list(
    query: PromotionQuery,
    credentials: BackstageCredentials,
  ): Promise<{ items: PromotionRequest[] }> {
    const { store, directory } = this.options;
    const limit = query.limit ?? 100;
    const batch = Math.max(limit, LIST_BATCH);
    const signer = await this.signerOf(credentials);
    const items: PromotionRequest[] = [];
    for (let offset = 0; items.length < limit; offset += batch) {
      const records = await store.listPromotions({
        statuses: [query.status ?? 'open'],
        ...(query.entityRef && { entityRef: appEntityRef(query.entityRef) }),
        limit: batch,
        offset,
      });
      const visible = await directory.visibleTo(
        [...new Set(records.map(r => r.entityRef))],
        credentials,
      );
      const described = await this.describe(
        records.filter(r => visible.has(r.entityRef)),
        signer,
      );
      items.push(...described.filter(p => matches(p, query)));
      if (records.length < batch) break;
    }
    return { items: items.slice(0, limit) };
  }

  /**
   * The requests of one app in these statuses, newest change first. For callers that have
   * already checked that the app is visible. With the credentials of a user, the human
   * stages say whether that user may sign them (`mayReview`).
   */
  async listForApp(
    entityRef: string,
    statuses: PromotionStatus[],
    credentials?: BackstageCredentials,
    limit = 500,
  ): Promise<PromotionRequest[]> {
    return this.describe(
      await this.options.store.listPromotions({
        statuses,
        entityRef: appEntityRef(entityRef),
        limit,
      }),
      credentials && (await this.signerOf(credentials)),
    );
  }

  /** The signed-in user with their claims; none for a service (no `mayReview` flags). */
  private async signerOf(
    credentials: BackstageCredentials,
  ): Promise<Signer | undefined> {
    const principal = credentials.principal as { type?: string };
    if (principal.type !== 'user') return undefined;
    const user = userOf(credentials);
    return { user, claims: await this.options.membership.getClaims(user) };
  }

  /** The request, if its app is visible to the caller; 404 otherwise. */
  private async getVisible(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<PromotionRecord> {
    const promotion = await this.options.store.getPromotion(id);
    if (promotion) {
      const visible = await this.options.directory.visibleTo(
        [promotion.entityRef],
        credentials,
      );
      if (visible.has(promotion.entityRef)) return promotion;
    }
    throw new NotFoundError(`No promotion '${id}'`);
  }

  /**
   * After a revision opened: complete it if nothing is left to wait for, otherwise ask the
   * reviewers; either way the gates now answer for the target tier.
   */
  private async opened(
    tx: AppTransaction,
    promotion: PromotionRecord,
    entry: AuditEntry,
    actor: string,
    entity: MicroAppEntityV1alpha1 | undefined,
  ): Promise<ChangeOutcome<PromotionRequest>> {
    const completed = await this.advance(tx, promotion, actor);
    const view = await this.describeInTx(tx, completed.promotion);
    return {
      result: view,
      audit: [entry, ...completed.audit],
      notices: entity ? this.reviewNotices(entity, view) : [],
      refresh: [promotion.entityRef],
    };
  }

  /** Completes the request when every stage is done; returns what it wrote. */
  private async advance(
    tx: AppTransaction,
    promotion: PromotionRecord,
    actor: string,
  ) {
    const at = this.now().toISOString();
    const done = await this.completeIfDone(tx, promotion, at);
    if (!done.tierChange) return { promotion, audit: [] };
    const entry = await tx.appendAudit({
      actor,
      action: 'promotion.completed',
      entityRef: promotion.entityRef,
      data: { promotionId: promotion.id, tierChange: done.tierChange },
    });
    return { promotion: done.promotion, audit: [entry] };
  }

  private async completeIfDone(
    tx: AppTransaction,
    promotion: PromotionRecord,
    at: string,
  ): Promise<{
    promotion: PromotionRecord;
    tierChange?: { from: TierId; to: TierId };
  }> {
    const stages = await this.stagesInTx(tx, promotion);
    if (promotion.status !== 'open' || !allStagesDone(stages)) {
      return { promotion };
    }
    const tierChange = { from: tx.app.effectiveTier, to: promotion.targetTier };
    await tx.setEffectiveTier(promotion.targetTier, at);
    await tx.updatePromotion(promotion.id, {
      status: 'approved',
      updatedAt: at,
      decidedAt: at,
    });
    return {
      promotion: {
        ...promotion,
        status: 'approved',
        updatedAt: at,
        decidedAt: at,
      },
      tierChange,
    };
  }

  private async stagesInTx(tx: AppTransaction, promotion: PromotionRecord) {
    // one after another: a transaction is one connection, which runs one query at a time
    const signoffs = await tx.listSignoffs(promotion.id);
    const latestRun = await tx.getLatestGateRun();
    const exceptions = await tx.listExceptions();
    return computeStages({
      promotion,
      signoffs,
      automated: automatedStage({
        promotion,
        latestRun,
        exceptions: exceptions.filter(e => e.status === 'active'),
        now: this.now(),
      }),
      reviewers: this.options.config.reviewers,
    });
  }

  private async describeInTx(
    tx: AppTransaction,
    promotion: PromotionRecord,
  ): Promise<PromotionRequest> {
    const signoffs = await tx.listSignoffs(promotion.id);
    return toPromotionRequest(
      promotion,
      await this.stagesInTx(tx, promotion),
      signoffs,
    );
  }

  /**
   * API views of many requests, with a few queries for all of them. For a signer, each human
   * stage says whether they may sign it (`mayReview`).
   */
  private async describe(
    promotions: PromotionRecord[],
    signer?: Signer,
  ): Promise<PromotionRequest[]> {
    const { store, config, directory } = this.options;
    const refs = [...new Set(promotions.map(p => p.entityRef))];
    const [signoffs, exceptions, runByRef, apps] = await Promise.all([
      store.listSignoffs(promotions.map(p => p.id)),
      store.listExceptions(refs, { validAt: this.now() }),
      store.getLatestGateRuns(refs),
      signer && promotions.length ? directory.getApps(refs) : undefined,
    ]);
    const signoffsOf = groupBy(signoffs, s => s.promotionId);
    const exceptionsOf = groupBy(exceptions, e => e.entityRef);
    return promotions.map(promotion => {
      const own = (signoffsOf.get(promotion.id) ?? []).map(
        ({ promotionId: _, ...s }) => s,
      );
      const stages = computeStages({
        promotion,
        signoffs: own,
        automated: automatedStage({
          promotion,
          latestRun: runByRef.get(promotion.entityRef),
          exceptions: exceptionsOf.get(promotion.entityRef) ?? [],
          now: this.now(),
        }),
        reviewers: config.reviewers,
        ...(signer && {
          mayReview: (stage: string) => {
            const entity = apps?.get(promotion.entityRef);
            return !signoffRefusal({
              signer,
              stage,
              submitter: promotion.submitter,
              owners: entity ? ownersOf(entity) : [],
              reviewers: config.reviewers,
            });
          },
        }),
      });
      return toPromotionRequest(promotion, stages, own);
    });
  }

  private reviewNotices(
    entity: MicroAppEntityV1alpha1,
    view: PromotionRequest,
  ): Notice[] {
    if (view.status !== 'open') return [];
    const title = entity.metadata.title ?? entity.metadata.name;
    return view.stages
      .filter(s => s.kind === 'human' && s.state === 'pending')
      .map(stage => ({
        to: stage.reviewers ?? [],
        // a reviewer who asked may not sign: no review request for them
        exclude: [view.submitter],
        title: `Review requested: ${title} to ${
          getTier(view.targetTier).title
        }`,
        description: `Stage '${stage.id}' of revision ${view.revision} waits for your sign-off.`,
        link: governanceLink(view.entityRef),
      }));
  }

  private decisionNotices(
    view: PromotionRequest,
    decision: SignoffDecision,
    stage: string,
    tierChange?: { from: TierId; to: TierId },
  ): Notice[] {
    const to = [view.entityRef, view.submitter];
    if (tierChange) {
      return [
        {
          to,
          title: `Promoted to ${getTier(tierChange.to).title}`,
          description: `Every stage approved: ${view.entityRef} is now ${
            getTier(tierChange.to).title
          }.`,
          link: governanceLink(view.entityRef),
        },
      ];
    }
    return [
      {
        to,
        title:
          decision === 'reject'
            ? `Promotion returned by stage '${stage}'`
            : `Stage '${stage}' approved`,
        description:
          decision === 'reject'
            ? 'The reviewer gave reasons; fix them and resubmit, or withdraw the request.'
            : `Revision ${view.revision} moves on.`,
        link: governanceLink(view.entityRef),
        severity: decision === 'reject' ? 'high' : 'normal',
      },
    ];
  }
}

export type { ChangeOutcome };

/** Whether a request matches the list's `stage` and `mine` filters. */
function matches(p: PromotionRequest, query: PromotionQuery): boolean {
  if (query.stage && !pendingHumanStages(p.stages).includes(query.stage)) {
    return false;
  }
  // mine: waiting for a stage the caller may sign
  return (
    !query.mine ||
    p.stages.some(
      s => s.kind === 'human' && s.state === 'pending' && s.mayReview,
    )
  );
}
