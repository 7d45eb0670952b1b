import type { Knex } from 'knex';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import { appendAudit } from '../../database/appendAudit';
import type { AppRecord } from '../../database/MarketplaceStore';
import { AppRow, normalizeRef, toAppRecord } from '../../database/rows';

/** Keeps `whereIn` lists below the bind-parameter limits of SQLite and PostgreSQL. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

type Stamp = string | number | Date;

/** A timestamp as the drivers return it (SQLite: epoch milliseconds, PostgreSQL: Date). */
const toDate = (value: Stamp) => new Date(value);

const latest = (...values: Array<Stamp | null | undefined>) => {
  let best: Date | undefined;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const date = toDate(value);
    if (!best || date.getTime() > best.getTime()) best = date;
  }
  return best;
};

/** An app the marketplace knows (registered, or seen through a gate run). */
export interface KnownApp {
  record: AppRecord;
  /** SBOM digest of the app's latest stored gate run. */
  sbomSha256?: string;
  /** When the app's latest gate run was stored. */
  latestRunAt?: string;
}

/** An open idle flag. */
export interface IdleFlag {
  entityRef: string;
  flaggedAt: string;
  /** The last activity the flag was computed from, and its signal. */
  lastActivityAt: string;
  lastSignal: string;
  idleAfterDays: number;
}

type FlagRow = {
  entity_ref: string;
  flagged_at: Stamp;
  last_activity_at: Stamp;
  last_signal: string;
  idle_after_days: number;
};

const toFlag = (row: FlagRow): IdleFlag => ({
  entityRef: row.entity_ref,
  flaggedAt: toDate(row.flagged_at).toISOString(),
  lastActivityAt: toDate(row.last_activity_at).toISOString(),
  lastSignal: row.last_signal,
  idleAfterDays: Number(row.idle_after_days),
});

/**
 * Storage of idle detection, on the marketplace's database: usage per app and UTC day, the
 * catalog fingerprint of each app, and the open idle flags. Flags and usage change in one
 * transaction with their audit entry, under the app's row lock.
 */
export class DatabaseActivityStore {
  constructor(private readonly db: Knex) {}

  private get isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }

  /** Locks the app's row when it has one; on SQLite the transaction itself serializes. */
  private async lockApp(tx: Knex.Transaction, entityRef: string) {
    if (!this.isPostgres) return;
    await tx('apps').where({ entity_ref: entityRef }).forUpdate().first();
  }

  /** Known apps in entity ref order, a page at a time after `after`. */
  async listKnownApps(options: {
    after?: string;
    limit: number;
  }): Promise<KnownApp[]> {
    const query = this.db<AppRow>('apps as a')
      .leftJoin('gate_runs as r', 'r.id', 'a.latest_run_id')
      .select(
        'a.*',
        'r.sbom_sha256 as run_sbom_sha256',
        'r.created_at as run_created_at',
      )
      .orderBy('a.entity_ref')
      .limit(options.limit);
    if (options.after) query.where('a.entity_ref', '>', options.after);
    const rows = (await query) as Array<
      AppRow & {
        run_sbom_sha256: string | null;
        run_created_at: Stamp | null;
      }
    >;
    return rows.map(row => ({
      record: toAppRecord(row),
      ...(row.run_sbom_sha256 && { sbomSha256: row.run_sbom_sha256 }),
      ...(row.run_created_at !== null && {
        latestRunAt: toDate(row.run_created_at).toISOString(),
      }),
    }));
  }

  /**
   * The `catalog` signal: the newest of the registration and the last change the idle job
   * saw; before the job first saw the app, the newest of its first sighting and its latest
   * stored gate run.
   */
  async catalogActivity(entityRefs: string[]): Promise<Map<string, Date>> {
    const result = new Map<string, Date>();
    for (const refs of chunks(entityRefs.map(normalizeRef))) {
      const rows: Array<{
        entity_ref: string;
        registered_at: Stamp | null;
        first_seen_at: Stamp;
        run_created_at: Stamp | null;
        changed_at: Stamp | null;
      }> = await this.db('apps as a')
        .leftJoin('gate_runs as r', 'r.id', 'a.latest_run_id')
        .leftJoin('app_catalog_activity as c', 'c.entity_ref', 'a.entity_ref')
        .whereIn('a.entity_ref', refs)
        .select(
          'a.entity_ref',
          'a.registered_at',
          'a.first_seen_at',
          'r.created_at as run_created_at',
          'c.changed_at',
        );
      for (const row of rows) {
        const at =
          row.changed_at !== null
            ? latest(row.registered_at, row.changed_at)
            : latest(row.registered_at, row.first_seen_at, row.run_created_at);
        if (at) result.set(row.entity_ref, at);
      }
    }
    return result;
  }

  /**
   * Records what the idle job saw of apps in the catalog. A first sighting keeps `baseline`
   * as the time of the last change; a different fingerprint moves it to `now`.
   * Returns the refs whose fingerprint changed.
   */
  async observeCatalog(
    observations: Array<{
      entityRef: string;
      fingerprint: string;
      baseline: Date;
    }>,
    now: Date,
  ): Promise<string[]> {
    const changed: string[] = [];
    for (const batch of chunks(observations)) {
      const refs = batch.map(o => normalizeRef(o.entityRef));
      const rows: Array<{ entity_ref: string; fingerprint: string }> =
        await this.db('app_catalog_activity')
          .whereIn('entity_ref', refs)
          .select('entity_ref', 'fingerprint');
      const seen = new Map(rows.map(r => [r.entity_ref, r.fingerprint]));
      const firstSightings = batch
        .filter(o => !seen.has(normalizeRef(o.entityRef)))
        .map(o => ({
          entity_ref: normalizeRef(o.entityRef),
          fingerprint: o.fingerprint,
          changed_at: o.baseline,
        }));
      if (firstSightings.length) {
        await this.db('app_catalog_activity')
          .insert(firstSightings)
          .onConflict('entity_ref')
          .ignore();
      }
      for (const o of batch) {
        const ref = normalizeRef(o.entityRef);
        const before = seen.get(ref);
        if (before !== undefined && before !== o.fingerprint) {
          await this.db('app_catalog_activity')
            .where({ entity_ref: ref })
            .update({ fingerprint: o.fingerprint, changed_at: now });
          changed.push(ref);
        }
      }
    }
    return changed;
  }

  /** The `usage` signal: the newest reported use per app. */
  async usageActivity(entityRefs: string[]): Promise<Map<string, Date>> {
    const result = new Map<string, Date>();
    for (const refs of chunks(entityRefs.map(normalizeRef))) {
      const rows: Array<{ entity_ref: string; last_at: Stamp }> = await this.db(
        'app_usage_days',
      )
        .whereIn('entity_ref', refs)
        .groupBy('entity_ref')
        .select('entity_ref')
        .max({ last_at: 'last_at' });
      for (const row of rows) {
        if (row.last_at !== null) {
          result.set(row.entity_ref, toDate(row.last_at));
        }
      }
    }
    return result;
  }

  /**
   * Adds `count` uses at `at` to the app's UTC day, in one transaction under the app's
   * lock. When the use is recent (at or after `activeSince`) and the app is flagged idle,
   * the flag is cleared and `app.idle-cleared` audited in the same transaction.
   */
  async recordUsage(usage: {
    entityRef: string;
    at: Date;
    count: number;
    actor: string;
    activeSince: Date;
  }): Promise<{
    entityRef: string;
    day: string;
    count: number;
    cleared?: AuditEntry;
  }> {
    const entityRef = normalizeRef(usage.entityRef);
    const day = usage.at.toISOString().slice(0, 10);
    return this.db.transaction(async tx => {
      await this.lockApp(tx, entityRef);
      const [row] = await tx('app_usage_days')
        .insert({
          entity_ref: entityRef,
          day,
          count: usage.count,
          last_at: usage.at,
        })
        .onConflict(['entity_ref', 'day'])
        .merge({
          count: tx.raw('?? + ??', ['app_usage_days.count', 'excluded.count']),
          last_at: tx.raw('case when ?? > ?? then ?? else ?? end', [
            'excluded.last_at',
            'app_usage_days.last_at',
            'excluded.last_at',
            'app_usage_days.last_at',
          ]),
        })
        .returning(['count']);
      const count = Number(typeof row === 'object' ? row.count : row);
      if (usage.at.getTime() < usage.activeSince.getTime()) {
        return { entityRef, day, count };
      }
      const cleared = await this.deleteFlag(tx, entityRef, {
        actor: usage.actor,
        data: { signal: 'usage', lastActivity: usage.at.toISOString() },
      });
      return { entityRef, day, count, ...(cleared && { cleared }) };
    });
  }

  /** Open idle flags of these apps, by lower-case ref. */
  async getIdleFlags(entityRefs: string[]): Promise<Map<string, IdleFlag>> {
    const result = new Map<string, IdleFlag>();
    for (const refs of chunks(entityRefs.map(normalizeRef))) {
      const rows: FlagRow[] = await this.db('app_idle_flags').whereIn(
        'entity_ref',
        refs,
      );
      for (const row of rows) result.set(row.entity_ref, toFlag(row));
    }
    return result;
  }

  /**
   * Flags the app idle and audits `app.idle-flagged`, in one transaction under its lock;
   * undefined (nothing written) when it is flagged already or usage at or after
   * `activeSince` arrived since the activity was read.
   */
  async flagIdle(flag: {
    entityRef: string;
    flaggedAt: Date;
    lastActivity: { at: Date; signal: string };
    idleAfterDays: number;
    activeSince: Date;
    actor: string;
  }): Promise<AuditEntry | undefined> {
    const entityRef = normalizeRef(flag.entityRef);
    return this.db.transaction(async tx => {
      await this.lockApp(tx, entityRef);
      const open = await tx('app_idle_flags')
        .where({ entity_ref: entityRef })
        .first();
      if (open) return undefined;
      const recent = await tx('app_usage_days')
        .where({ entity_ref: entityRef })
        .where('last_at', '>=', flag.activeSince)
        .first();
      if (recent) return undefined;
      await tx('app_idle_flags').insert({
        entity_ref: entityRef,
        flagged_at: flag.flaggedAt,
        last_activity_at: flag.lastActivity.at,
        last_signal: flag.lastActivity.signal,
        idle_after_days: flag.idleAfterDays,
      });
      return appendAudit(
        tx,
        {
          actor: flag.actor,
          action: 'app.idle-flagged',
          entityRef,
          data: {
            idleAfterDays: flag.idleAfterDays,
            lastActivity: flag.lastActivity.at.toISOString(),
            signal: flag.lastActivity.signal,
          },
        },
        { isPostgres: this.isPostgres },
      );
    });
  }

  /**
   * Clears the app's idle flag and audits `app.idle-cleared`, in one transaction under its
   * lock; undefined when it was not flagged.
   */
  async clearIdle(clear: {
    entityRef: string;
    actor: string;
    lastActivity: { at: Date; signal: string };
  }): Promise<AuditEntry | undefined> {
    const entityRef = normalizeRef(clear.entityRef);
    return this.db.transaction(async tx => {
      await this.lockApp(tx, entityRef);
      return this.deleteFlag(tx, entityRef, {
        actor: clear.actor,
        data: {
          signal: clear.lastActivity.signal,
          lastActivity: clear.lastActivity.at.toISOString(),
        },
      });
    });
  }

  private async deleteFlag(
    tx: Knex.Transaction,
    entityRef: string,
    entry: { actor: string; data: { signal: string; lastActivity: string } },
  ): Promise<AuditEntry | undefined> {
    const open: FlagRow | undefined = await tx('app_idle_flags')
      .where({ entity_ref: entityRef })
      .first();
    if (!open) return undefined;
    await tx('app_idle_flags').where({ entity_ref: entityRef }).delete();
    return appendAudit(
      tx,
      {
        actor: entry.actor,
        action: 'app.idle-cleared',
        entityRef,
        data: { ...entry.data, flaggedAt: toFlag(open).flaggedAt },
      },
      { isPostgres: this.isPostgres },
    );
  }
}
