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
