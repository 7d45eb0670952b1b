import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type {
  GateResult,
  GateRun,
  GateRunStatus,
  TierId,
} from '@microapps/plugin-marketplace-common';
import type {
  AppRecord,
  MarketplaceStore,
  StoredGateRun,
} from './MarketplaceStore';

const migrationsDir = resolvePackagePath(
  '@microapps/plugin-marketplace-backend',
  'migrations',
);

type GateRunRow = {
  id: number;
  entity_ref: string;
  tier: string;
  status: string;
  input_hash: string;
  results: string;
  evaluated_at: string | Date;
  created_at: string | Date;
};

type AppRow = {
  entity_ref: string;
  requested_tier: string;
  gate_status: string;
  latest_run_id: number | null;
  first_seen_at: string | Date;
  updated_at: string | Date;
};

/** Entity refs are case-insensitive in the catalog; we store them in lower case. */
const normalizeRef = (ref: string) => ref.toLocaleLowerCase('en-US');

const toIso = (value: string | Date) => new Date(value).toISOString();

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

  async recordGateRun(run: GateRun): Promise<{ id: string; created: boolean }> {
    const entityRef = normalizeRef(run.entityRef);
    const results = JSON.stringify(run.results);
    const evaluatedAt = new Date(run.evaluatedAt);
    return this.db.transaction(async tx => {
      // Lock the app's row so that concurrent runs of one app are applied one after another
      // (and history ids follow the order they are applied in). The row is created first:
      // a row that does not exist yet cannot be locked.
      const now = new Date();
      await tx('apps')
        .insert({
          entity_ref: entityRef,
          requested_tier: run.tier,
          gate_status: run.status,
          latest_run_id: null,
          first_seen_at: now,
          updated_at: now,
        })
        .onConflict('entity_ref')
        .ignore();
      const appQuery = tx<AppRow>('apps').where({ entity_ref: entityRef });
      const app = await (this.isPostgres()
        ? appQuery.forUpdate()
        : appQuery
      ).first();
      const latest = app?.latest_run_id
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
          .update({ updated_at: new Date() });
        return { id: String(latest.id), created: false };
      }

      const [inserted] = await tx('gate_runs')
        .insert({
          entity_ref: entityRef,
          tier: run.tier,
          status: run.status,
          input_hash: run.inputHash,
          results,
          evaluated_at: evaluatedAt,
          created_at: new Date(),
        })
        .returning('id');
      const id = typeof inserted === 'object' ? inserted.id : inserted;
      await tx('apps').where({ entity_ref: entityRef }).update({
        requested_tier: run.tier,
        gate_status: run.status,
        latest_run_id: id,
        updated_at: now,
      });
      return { id: String(id), created: true };
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
    if (!entityRefs.length) return result;
    const rows = await this.db<AppRow>('apps').whereIn(
      'entity_ref',
      entityRefs.map(normalizeRef),
    );
    for (const row of rows) {
      result.set(row.entity_ref, {
        entityRef: row.entity_ref,
        requestedTier: row.requested_tier as TierId,
        gateStatus: row.gate_status as GateRunStatus,
        latestRunId:
          row.latest_run_id === null ? undefined : String(row.latest_run_id),
        firstSeenAt: toIso(row.first_seen_at),
        updatedAt: toIso(row.updated_at),
      });
    }
    return result;
  }

  private isPostgres(): boolean {
    return this.db.client.config.client === 'pg';
  }
}

function toGateRun(row: GateRunRow): StoredGateRun {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    tier: row.tier as TierId,
    status: row.status as GateRunStatus,
    inputHash: row.input_hash,
    results: JSON.parse(row.results) as GateResult[],
    evaluatedAt: toIso(row.evaluated_at),
  };
}
