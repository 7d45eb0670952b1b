import { ConflictError, NotFoundError } from '@backstage/errors';
import type { Knex } from 'knex';
import type {
  AppBudget,
  GateException,
  Signoff,
  TierId,
} from '@microapps/plugin-marketplace-common';
import { appendAudit } from './appendAudit';
import { BudgetRow, toBudget } from './DatabaseCostStore';
import type {
  AppRecord,
  AppTransaction,
  AuditInput,
  PromotionRecord,
  StoredGateRun,
} from './MarketplaceStore';
import {
  ExceptionRow,
  fromPromotion,
  GateRunRow,
  toGateRun,
  normalizeRef,
  PromotionRow,
  SignoffRow,
  toException,
  toPromotion,
  toSignoff,
} from './rows';

/** A unique-constraint violation, on PostgreSQL or SQLite. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e?.message ?? '')
  );
}

/** {@link AppTransaction} on a knex transaction that holds the app's row lock. */
export class DatabaseAppTransaction implements AppTransaction {
  constructor(
    private readonly tx: Knex.Transaction,
    readonly app: AppRecord,
    private readonly isPostgres: boolean,
  ) {}

  private get ref() {
    return normalizeRef(this.app.entityRef);
  }

  async getLatestGateRun(): Promise<StoredGateRun | undefined> {
    if (!this.app.latestRunId) return undefined;
    const row = await this.tx<GateRunRow>('gate_runs')
      .where({ id: Number(this.app.latestRunId) })
      .first();
    return row && toGateRun(row);
  }

  async getActivePromotion(): Promise<PromotionRecord | undefined> {
    const row = await this.tx<PromotionRow>('promotions')
      .where({ entity_ref: this.ref })
      .whereIn('status', ['open', 'rejected'])
      .first();
    return row && toPromotion(row);
  }

  async getPromotion(id: string): Promise<PromotionRecord | undefined> {
    const row = await this.tx<PromotionRow>('promotions')
      .where({ id, entity_ref: this.ref })
      .first();
    return row && toPromotion(row);
  }

  async insertPromotion(promotion: PromotionRecord): Promise<void> {
    try {
      await this.tx('promotions').insert(fromPromotion(promotion));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A promotion of '${promotion.entityRef}' is already open`,
        );
      }
      throw error;
    }
  }

  async updatePromotion(
    id: string,
    patch: Partial<PromotionRecord>,
  ): Promise<void> {
    if (patch.status === 'open' || patch.status === 'rejected') {
      // one request per app may be open or returned; checked here, backed by an index
      const other = await this.tx<PromotionRow>('promotions')
        .where({ entity_ref: this.ref })
        .whereIn('status', ['open', 'rejected'])
        .whereNot({ id })
        .first();
      if (other) {
        throw new ConflictError(
          `A promotion of '${this.ref}' is already ${other.status} (id ${other.id})`,
        );
      }
    }
    const updated = await this.tx('promotions')
      .where({ id, entity_ref: this.ref })
      .update(fromPromotion(patch));
    if (!updated) {
      throw new NotFoundError(`No promotion '${id}' of '${this.ref}'`);
    }
  }

  async listSignoffs(promotionId: string): Promise<Signoff[]> {
    const rows = await this.tx<SignoffRow>('signoffs')
      .where({ promotion_id: promotionId })
      .orderBy('id');
    return rows.map(toSignoff);
  }

  async insertSignoff(signoff: {
    promotionId: string;
    revision: number;
    stage: string;
    decision: 'approve' | 'reject';
    comment: string;
    reviewer: string;
    createdAt: string;
    budget?: number;
  }): Promise<Signoff> {
    try {
      const [inserted] = await this.tx('signoffs')
        .insert({
          promotion_id: signoff.promotionId,
          revision: signoff.revision,
          stage: signoff.stage,
          decision: signoff.decision,
          comment: signoff.comment,
          reviewer: signoff.reviewer,
          created_at: new Date(signoff.createdAt),
          ...(signoff.budget !== undefined && { budget: signoff.budget }),
        })
        .returning('id');
      const id = typeof inserted === 'object' ? inserted.id : inserted;
      const { promotionId: _, ...rest } = signoff;
      return { id: String(id), ...rest };
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `Stage '${signoff.stage}' of revision ${signoff.revision} is already signed off`,
        );
      }
      throw error;
    }
  }

  async setEffectiveTier(tier: TierId, at: string): Promise<void> {
    await this.tx('apps')
      .where({ entity_ref: this.ref })
      .update({ effective_tier: tier, tier_changed_at: new Date(at) });
  }

  async listExceptions(): Promise<GateException[]> {
    const rows = await this.tx<ExceptionRow>('exceptions')
      .where({ entity_ref: this.ref })
      .orderBy('granted_at');
    return rows.map(row => toException(row));
  }

  async insertException(exception: GateException): Promise<void> {
    await this.tx('exceptions').insert({
      id: exception.id,
      entity_ref: this.ref,
      gate_id: exception.gateId,
      finding_id: exception.findingId,
      reason: exception.reason,
      expires_at: new Date(exception.expiresAt),
      granted_by: exception.grantedBy,
      granted_at: new Date(exception.grantedAt),
    });
  }

  async markExceptions(
    ids: string[],
    patch: { lapsedAt?: string; warnedAt?: string },
  ): Promise<void> {
    if (!ids.length) return;
    await this.tx('exceptions')
      .whereIn('id', ids)
      .where({ entity_ref: this.ref })
      .update({
        ...(patch.lapsedAt && { lapsed_at: new Date(patch.lapsedAt) }),
        ...(patch.warnedAt && { warned_at: new Date(patch.warnedAt) }),
      });
  }

  async recordExpiryWarning(warning: {
    expiresAt: string;
    daysBefore: number;
    sentAt: string;
  }): Promise<boolean> {
    // a conflict means the warning was sent before: a no-op, so a rerun never sends twice
    const inserted = await this.tx('expiry_warnings')
      .insert({
        entity_ref: this.ref,
        expires_at: new Date(warning.expiresAt),
        days_before: warning.daysBefore,
        sent_at: new Date(warning.sentAt),
      })
      .onConflict(['entity_ref', 'expires_at', 'days_before'])
      .ignore()
      .returning('days_before');
    return inserted.length > 0;
  }

  async markExpired(at: string): Promise<void> {
    await this.tx('apps')
      .where({ entity_ref: this.ref })
      .update({ expired_at: new Date(at) });
  }

  async renew(renewal: {
    expiresAt: string;
    renewedAt: string;
    renewedBy: string;
  }): Promise<void> {
    await this.tx('apps')
      .where({ entity_ref: this.ref })
      .update({
        expires_at: new Date(renewal.expiresAt),
        renewed_at: new Date(renewal.renewedAt),
        renewed_by: normalizeRef(renewal.renewedBy),
        expired_at: null,
      });
  }

  async recordBudget(budget: AppBudget): Promise<void> {
    await this.tx('app_budgets').insert({
      entity_ref: this.ref,
      amount: budget.amount,
      currency: budget.currency,
      approved_by: budget.approvedBy,
      approved_at: new Date(budget.approvedAt),
      promotion_id: budget.promotionId,
    });
  }

  async getBudget(): Promise<AppBudget | undefined> {
    const row = await this.tx<BudgetRow>('app_budgets')
      .where({ entity_ref: this.ref })
      .orderBy([
        { column: 'approved_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row && toBudget(row);
  }

  async recordCostAlert(alert: {
    month: string;
    threshold: number;
    actual: string;
    limit: string;
    limitKind: 'forecast' | 'budget';
    currency: string;
    firedAt: string;
  }): Promise<boolean> {
    // a conflict means it fired before: a no-op, so a rerun never alerts twice
    const inserted = await this.tx('cost_alerts')
      .insert({
        entity_ref: this.ref,
        month: alert.month,
        threshold: alert.threshold,
        actual: alert.actual,
        limit_amount: alert.limit,
        limit_kind: alert.limitKind,
        currency: alert.currency,
        fired_at: new Date(alert.firedAt),
      })
      .onConflict(['entity_ref', 'month', 'threshold'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  appendAudit(input: AuditInput) {
    return appendAudit(this.tx, input, { isPostgres: this.isPostgres });
  }
}
