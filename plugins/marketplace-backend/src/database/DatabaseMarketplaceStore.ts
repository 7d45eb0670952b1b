import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type {
  AuditEntry,
  GateException,
  GateRun,
} from '@microapps/plugin-marketplace-common';
import { sha256Hex } from '../audit/auditHash';
import { appendAudit } from './appendAudit';
import { DatabaseAppTransaction } from './DatabaseAppTransaction';
import type {
  AppRecord,
  AppTransaction,
  ExpiryCandidate,
  MarketplaceStore,
  PromotionFilter,
  PromotionRecord,
  StoredGateRun,
  StoredSignoff,
} from './MarketplaceStore';
import {
  AppRow,
  AuditRow,
  ExceptionRow,
  GateRunRow,
  normalizeRef,
  PromotionRow,
  SignoffRow,
  toAppRecord,
  toAuditEntry,
  toException,
  toGateRun,
  toPromotion,
  toIso,
  toSignoff,
} from './rows';

const migrationsDir = resolvePackagePath(
  '@microapps/plugin-marketplace-backend',
  'migrations',
);

/** Keeps `whereIn` lists below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/** The knex store of the marketplace, on SQLite or PostgreSQL. */
export class DatabaseMarketplaceStore implements MarketplaceStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseMarketplaceStore> {
    const client = await options.database.getClient();
    if (!options.skipMigrations && !options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseMarketplaceStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Creates the app's row when missing (in Discover) and locks it. A row that does not exist
   * cannot be locked, hence the insert first; on SQLite the transaction itself serializes.
   */
  private async lockApp(
    tx: Knex.Transaction,
    entityRef: string,
    requestedTier?: string,
  ): Promise<AppRow> {
    const now = new Date();
    await tx('apps')
      .insert({
        entity_ref: entityRef,
        requested_tier: requestedTier ?? 'discover',
        effective_tier: 'discover',
        gate_status: 'pass',
        latest_run_id: null,
        first_seen_at: now,
        updated_at: now,
      })
      .onConflict('entity_ref')
      .ignore();
    const query = tx<AppRow>('apps').where({ entity_ref: entityRef });
    const row = await (this.isPostgres() ? query.forUpdate() : query).first();
    if (!row) throw new Error(`The app row of '${entityRef}' vanished`);
    return row;
  }

  async recordGateRun(
    run: GateRun,
    actor: string,
  ): Promise<{ id: string; created: boolean; audit?: AuditEntry }> {
    const entityRef = normalizeRef(run.entityRef);
    const results = JSON.stringify(run.results);
    const evaluatedAt = new Date(run.evaluatedAt);
    return this.db.transaction(async tx => {
      const app = await this.lockApp(tx, entityRef, run.tier);
      const now = new Date();
      const latest = app.latest_run_id
        ? await tx<GateRunRow>('gate_runs')
            .where({ id: app.latest_run_id })
            .first()
        : undefined;

      if (
        latest &&
        latest.input_hash === run.inputHash &&
        latest.results === results &&
        latest.tier === run.tier
      ) {
        await tx('gate_runs')
          .where({ id: latest.id })
          .update({ evaluated_at: evaluatedAt });
        await tx('apps')
          .where({ entity_ref: entityRef })
          .update({ updated_at: now });
        return { id: String(latest.id), created: false };
      }

      const [inserted] = await tx('gate_runs')
        .insert({
          entity_ref: entityRef,
          tier: run.tier,
          status: run.status,
          input_hash: run.inputHash,
          sbom_sha256: run.sbomSha256 ?? null,
          results,
          evaluated_at: evaluatedAt,
          created_at: now,
        })
        .returning('id');
      const id = typeof inserted === 'object' ? inserted.id : inserted;
      await tx('apps').where({ entity_ref: entityRef }).update({
        requested_tier: run.tier,
        gate_status: run.status,
        latest_run_id: id,
        updated_at: now,
      });
      // the audit entry pins the results by digest; evidence packages are checked against it
      const audit = await appendAudit(
        tx,
        {
          actor,
          action: 'gates.evaluated',
          entityRef,
          data: {
            runId: String(id),
            tier: run.tier,
            status: run.status,
            inputHash: run.inputHash,
            sbomSha256: run.sbomSha256 ?? null,
            resultsSha256: sha256Hex(results),
          },
        },
        { isPostgres: this.isPostgres() },
      );
      return { id: String(id), created: true, audit };
    });
  }

  async getLatestGateRun(
    entityRef: string,
  ): Promise<StoredGateRun | undefined> {
    const row = await this.db<GateRunRow>('gate_runs')
      .whereIn(
        'id',
        this.db('apps')
          .select('latest_run_id')
          .where({ entity_ref: normalizeRef(entityRef) }),
      )
      .first();
    return row && toGateRun(row);
  }

  async getLatestGateRuns(
    entityRefs: string[],
  ): Promise<Map<string, StoredGateRun>> {
    const result = new Map<string, StoredGateRun>();
    for (const refs of chunks(entityRefs.map(normalizeRef))) {
      const rows = await this.db<GateRunRow>('gate_runs').whereIn(
        'id',
        this.db('apps').select('latest_run_id').whereIn('entity_ref', refs),
      );
      for (const row of rows) result.set(row.entity_ref, toGateRun(row));
    }
    return result;
  }

  async listGateRuns(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<StoredGateRun[]> {
    const rows = await this.db<GateRunRow>('gate_runs')
      .where({ entity_ref: normalizeRef(entityRef) })
      .orderBy('id', 'desc')
      .limit(options?.limit ?? 50);
    return rows.map(toGateRun);
  }

  async getApps(entityRefs: string[]): Promise<Map<string, AppRecord>> {
    const result = new Map<string, AppRecord>();
    for (const refs of chunks(entityRefs.map(normalizeRef))) {
      const rows = await this.db<AppRow>('apps').whereIn('entity_ref', refs);
      for (const row of rows) result.set(row.entity_ref, toAppRecord(row));
    }
    return result;
  }

  async registerApp(registration: {
    entityRef: string;
    registeredBy: string;
    actor: string;
    registeredAt: Date;
    discoverExpiresAt: Date;
  }): Promise<{ app: AppRecord; created: boolean; audit?: AuditEntry }> {
    const entityRef = normalizeRef(registration.entityRef);
    return this.db.transaction(async tx => {
      const row = await this.lockApp(tx, entityRef);
      // registered once: a repeat (a retried scaffolder step) never moves the expiry
      if (row.registered_at) {
        return { app: toAppRecord(row), created: false };
      }
      const { registeredAt } = registration;
      const expiresAt =
        row.effective_tier === 'discover'
          ? registration.discoverExpiresAt
          : null;
      const registeredBy = normalizeRef(registration.registeredBy);
      await tx('apps').where({ entity_ref: entityRef }).update({
        registered_at: registeredAt,
        expires_at: expiresAt,
        registered_by: registeredBy,
      });
      const audit = await appendAudit(
        tx,
        {
          actor: registration.actor,
          action: 'app.registered',
          entityRef,
          data: {
            tier: row.effective_tier,
            registeredBy,
            expiresAt: expiresAt && expiresAt.toISOString(),
          },
        },
        { isPostgres: this.isPostgres() },
      );
      const app = toAppRecord({
        ...row,
        registered_at: registeredAt,
        expires_at: expiresAt,
        registered_by: registeredBy,
      });
      return { app, created: true, audit };
    });
  }

  async inAppTransaction<T>(
    entityRef: string,
    fn: (tx: AppTransaction) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async tx => {
      const row = await this.lockApp(tx, normalizeRef(entityRef));
      return fn(
        new DatabaseAppTransaction(tx, toAppRecord(row), this.isPostgres()),
      );
    });
  }

  async getPromotion(id: string): Promise<PromotionRecord | undefined> {
    const row = await this.db<PromotionRow>('promotions').where({ id }).first();
    return row && toPromotion(row);
  }

  async listPromotions(filter: PromotionFilter): Promise<PromotionRecord[]> {
    const query = this.db<PromotionRow>('promotions')
      // id breaks ties, so pages neither repeat nor skip a row
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit ?? 100)
      .offset(filter.offset ?? 0);
    if (filter.statuses) query.whereIn('status', filter.statuses);
    if (filter.entityRef) {
      query.where({ entity_ref: normalizeRef(filter.entityRef) });
    }
    if (filter.submitter) query.where({ submitter: filter.submitter });
    return (await query).map(toPromotion);
  }

  async getActivePromotions(
    entityRefs: string[],
  ): Promise<Map<string, PromotionRecord>> {
    const result = new Map<string, PromotionRecord>();
    for (const refs of chunks(entityRefs.map(normalizeRef))) {
      const rows = await this.db<PromotionRow>('promotions')
        .whereIn('entity_ref', refs)
        .whereIn('status', ['open', 'rejected']);
      for (const row of rows) result.set(row.entity_ref, toPromotion(row));
    }
    return result;
  }

  async listSignoffs(promotionIds: string[]): Promise<StoredSignoff[]> {
    const out: StoredSignoff[] = [];
    for (const ids of chunks(promotionIds)) {
      const rows = await this.db<SignoffRow>('signoffs')
        .whereIn('promotion_id', ids)
        .orderBy('id');
      out.push(
        ...rows.map(r => ({ ...toSignoff(r), promotionId: r.promotion_id })),
      );
    }
    return out;
  }

  async listExceptions(
    entityRefs: string[],
    options?: { validAt?: Date },
  ): Promise<GateException[]> {
    const out: GateException[] = [];
    for (const refs of chunks(entityRefs.map(normalizeRef))) {
      const query = this.db<ExceptionRow>('exceptions')
        .whereIn('entity_ref', refs)
        .orderBy('granted_at');
      if (options?.validAt) {
        query.whereNull('revoked_at').where('expires_at', '>', options.validAt);
      }
      out.push(...(await query).map(row => toException(row)));
    }
    return out;
  }

  async listUnrecordedLapses(now: Date): Promise<GateException[]> {
    const rows = await this.db<ExceptionRow>('exceptions')
      .whereNull('lapsed_at')
      .whereNull('revoked_at')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(1000);
    return rows.map(row => toException(row, now));
  }

  async listUnwarnedExpiring(
    now: Date,
    before: Date,
  ): Promise<GateException[]> {
    const rows = await this.db<ExceptionRow>('exceptions')
      .whereNull('warned_at')
      .whereNull('revoked_at')
      .where('expires_at', '>', now)
      .where('expires_at', '<=', before)
      .orderBy('expires_at')
      .limit(1000);
    return rows.map(row => toException(row, now));
  }

  async listExpiryCandidates(options: {
    now: Date;
    warnUntil: Date;
    limit?: number;
    after?: { expiresAt: string; entityRef: string };
  }): Promise<ExpiryCandidate[]> {
    const { after } = options;
    const query = this.db<AppRow>('apps')
      .where({ effective_tier: 'discover' })
      .whereNull('expired_at')
      .whereNotNull('expires_at')
      .where('expires_at', '<=', options.warnUntil)
      .orderBy([
        { column: 'expires_at', order: 'asc' },
        { column: 'entity_ref', order: 'asc' },
      ])
      .limit(options.limit ?? 1000);
    if (after) {
      const at = new Date(after.expiresAt);
      query.where(q =>
        q
          .where('expires_at', '>', at)
          .orWhere(q2 =>
            q2
              .where('expires_at', '=', at)
              .where('entity_ref', '>', after.entityRef),
          ),
      );
    }
    const rows = await query;
    const warned = new Map<string, number[]>();
    for (const refs of chunks(rows.map(r => r.entity_ref))) {
      const warnings = await this.db<{
        entity_ref: string;
        expires_at: string | Date;
        days_before: number;
      }>('expiry_warnings').whereIn('entity_ref', refs);
      for (const w of warnings) {
        // only warnings for the app's current expiry count; a renewal starts afresh
        const key = `${w.entity_ref} ${toIso(w.expires_at)}`;
        warned.set(key, [...(warned.get(key) ?? []), Number(w.days_before)]);
      }
    }
    return rows.map(row => {
      const app = toAppRecord(row);
      return {
        app,
        warnedDays: warned.get(`${app.entityRef} ${app.expiresAt}`) ?? [],
      };
    });
  }

  async listAudit(options: {
    entityRef?: string;
    afterSeq?: number;
    limit: number;
  }): Promise<AuditEntry[]> {
    const query = this.db<AuditRow>('audit_log')
      .orderBy('seq')
      .limit(options.limit);
    if (options.entityRef) {
      query.where({ entity_ref: normalizeRef(options.entityRef) });
    }
    if (options.afterSeq) query.where('seq', '>', options.afterSeq);
    return (await query).map(toAuditEntry);
  }

  async scanAudit(
    batchSize: number,
    onBatch: (entries: AuditEntry[]) => void,
    options?: { upTo?: number },
  ): Promise<void> {
    let after = 0;
    for (;;) {
      const query = this.db<AuditRow>('audit_log')
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batchSize);
      if (options?.upTo !== undefined) query.where('seq', '<=', options.upTo);
      const rows = await query;
      if (!rows.length) return;
      onBatch(rows.map(toAuditEntry));
      after = Number(rows[rows.length - 1].seq);
    }
  }

  async getAuditHead(): Promise<{ seq: number; hash: string }> {
    const head = await this.db('audit_head').where({ id: 1 }).first();
    return { seq: Number(head.seq), hash: head.hash };
  }

  private isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }
}
