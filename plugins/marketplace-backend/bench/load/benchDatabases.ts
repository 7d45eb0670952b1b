import knexFactory, { Knex } from 'knex';
import { DatabaseMarketplaceStore } from '../../src/database/DatabaseMarketplaceStore';
import {
  databaseServiceOf,
  openNewPgDatabase,
  PG_URL,
  pgUrlOf,
} from '../benchUtils';

// The backends of the bench run on PostgreSQL with a prefix of their own: the catalog's
// database is `<prefix>catalog`, the marketplace's `<prefix>marketplace`, as Backstage
// names them. The driver creates and seeds the marketplace's before the backend starts.

export async function pgDatabaseExists(name: string): Promise<boolean> {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  try {
    const { rows } = await admin.raw(
      'select 1 from pg_database where datname = ?',
      [name],
    );
    return rows.length > 0;
  } finally {
    await admin.destroy();
  }
}

/** A fresh, migrated marketplace database (dropped first when it exists). */
export async function createMarketplaceDatabase(prefix: string): Promise<Knex> {
  const knex = await openNewPgDatabase(`${prefix}marketplace`, {
    poolMax: 4,
    replace: true,
  });
  await DatabaseMarketplaceStore.create({ database: databaseServiceOf(knex) });
  return knex;
}

/**
 * Waits until no query runs in the databases of `prefix`: requests autocannon abandoned at
 * the end of a phase are still being answered, and would slow the next phase down.
 */
export async function waitForQuietDatabases(
  prefix: string,
  timeoutMs = 300_000,
): Promise<number> {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  const start = Date.now();
  try {
    let quiet = 0;
    while (quiet < 2 && Date.now() - start < timeoutMs) {
      const { rows } = await admin.raw(
        `select count(*)::int as n from pg_stat_activity
         where datname like ? and state = 'active' and pid <> pg_backend_pid()`,
        [`${prefix.replace(/_/g, '\\_')}%`],
      );
      quiet = rows[0].n === 0 ? quiet + 1 : 0;
      await new Promise(r => setTimeout(r, 500));
    }
  } finally {
    await admin.destroy();
  }
  return Date.now() - start;
}

/**
 * Refreshes the planner's statistics of every database of `prefix`. Tables filled in
 * minutes have statistics from when they were nearly empty until autovacuum catches up,
 * and the catalog's queries then get plans that loop over every entity.
 */
export async function analyzeDatabases(prefix: string): Promise<void> {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  let names: string[];
  try {
    const { rows } = await admin.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix.replace(/_/g, '\\_')}%`],
    );
    names = rows.map((r: { datname: string }) => r.datname);
  } finally {
    await admin.destroy();
  }
  for (const name of names) {
    const knex = knexFactory({ client: 'pg', connection: pgUrlOf(name) });
    try {
      await knex.raw('analyze');
    } finally {
      await knex.destroy();
    }
  }
}
