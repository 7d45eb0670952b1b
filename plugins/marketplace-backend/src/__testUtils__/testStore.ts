import path from 'node:path';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import { DatabaseMarketplaceStore } from '../database/DatabaseMarketplaceStore';

/** A gate run of the expense helper with one critical finding, as the catalog sends it. */
export const gateRun = (overrides: Partial<GateRun> = {}): GateRun => ({
  entityRef: 'microapp:default/Expense-Helper',
  evaluatedAt: '2026-11-28T10:00:00.000Z',
  tier: 'discover',
  status: 'warn',
  inputHash: 'a'.repeat(64),
  results: [
    {
      gateId: 'vulnerabilities',
      status: 'fail',
      enforcement: 'warn',
      findings: [
        { id: 'GHSA-1:npm/lodash', severity: 'critical', message: 'x' },
      ],
    },
  ],
  ...overrides,
});

/** A migrated store on a fresh database of the given kind, and its knex. */
export async function createTestStore(
  databases: TestDatabases,
  databaseId: Parameters<TestDatabases['init']>[0],
) {
  const knex = await databases.init(databaseId);
  return {
    knex,
    store: await DatabaseMarketplaceStore.create({
      database: mockServices.database({ knex }),
    }),
  };
}

/**
 * Rolls the migrations back, latest first, until `name` (e.g. `20261205090000_discover_expiry.js`)
 * is undone too, however many migrations came after it.
 */
export async function migrateDownThrough(
  knex: Awaited<ReturnType<TestDatabases['init']>>,
  name: string,
) {
  const directory = path.resolve(__dirname, '../../migrations');
  for (;;) {
    const [completed] = await knex.migrate.list({ directory });
    const names = (completed as Array<string | { name: string }>).map(c =>
      typeof c === 'string' ? c : c.name,
    );
    if (!names.includes(name)) return;
    await knex.migrate.down({ directory });
  }
}
