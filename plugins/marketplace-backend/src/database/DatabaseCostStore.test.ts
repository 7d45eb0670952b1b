import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import {
  createTestStore,
  migrateDownThrough,
} from '../__testUtils__/testStore';
import { DatabaseMarketplaceStore } from './DatabaseMarketplaceStore';
import { DatabaseCostStore } from './DatabaseCostStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const T1 = new Date('2026-12-01T06:00:00.000Z');
const T2 = new Date('2026-12-01T12:00:00.000Z');
const FILE = 'focus-2026-09-to-11.csv';
const SP = 'microapp:default/status-page';
const VP = 'microapp:default/vendor-portal';

describe.each(databases.eachSupportedId())(
  'DatabaseCostStore on %s',
  databaseId => {
    async function setup() {
      const { knex } = await createTestStore(databases, databaseId);
      return { knex, costs: new DatabaseCostStore(knex) };
    }

    const totals = [
      {
        entityRef: 'MicroApp:default/Status-Page',
        month: '2026-09',
        amount: '12.5',
        currency: 'EUR',
      },
      { entityRef: SP, month: '2026-10', amount: '0.000001', currency: 'EUR' },
      {
        entityRef: VP,
        month: '2026-09',
        amount: '123456789.123456',
        currency: 'EUR',
      },
      { entityRef: VP, month: '2026-10', amount: '-3.25', currency: 'EUR' },
    ];

    it('stores the totals of a file, and a re-import of the same file changes nothing', async () => {
      const { costs, knex } = await setup();
      expect(await costs.replaceCosts(FILE, totals, T1)).toEqual({
        inserted: 4,
        updated: 0,
        unchanged: 0,
        deleted: 0,
      });
      const before = await knex('app_costs').orderBy(['entity_ref', 'month']);
      expect(await costs.replaceCosts(FILE, totals, T2)).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 4,
        deleted: 0,
      });
      expect(await knex('app_costs').orderBy(['entity_ref', 'month'])).toEqual(
        before,
      );
      expect(await costs.getCosts([SP, VP])).toEqual([
        {
          entityRef: SP,
          month: '2026-09',
          amount: '12.5',
          currency: 'EUR',
          source: FILE,
          importedAt: T1.toISOString(),
        },
        {
          entityRef: SP,
          month: '2026-10',
          amount: '0.000001',
          currency: 'EUR',
          source: FILE,
          importedAt: T1.toISOString(),
        },
        {
          entityRef: VP,
          month: '2026-09',
          amount: '123456789.123456',
          currency: 'EUR',
          source: FILE,
          importedAt: T1.toISOString(),
        },
        {
          entityRef: VP,
          month: '2026-10',
          amount: '-3.25',
          currency: 'EUR',
          source: FILE,
          importedAt: T1.toISOString(),
        },
      ]);
    });

    it('updates changed totals, inserts new ones and deletes those the file lost', async () => {
      const { costs } = await setup();
      await costs.replaceCosts(FILE, totals, T1);
      await costs.replaceCosts('other.csv', [totals[0]], T1);
      const result = await costs.replaceCosts(
        FILE,
        [
          { ...totals[0], amount: '12.50' }, // the same amount
          { ...totals[1], amount: '0.000002' },
          { ...totals[2], currency: 'USD' },
          { entityRef: SP, month: '2026-11', amount: '7', currency: 'EUR' },
        ],
        T2,
      );
      expect(result).toEqual({
        inserted: 1,
        updated: 2,
        unchanged: 1,
        deleted: 1,
      });
      const stored = await costs.getCosts(['MicroApp:default/Status-Page', VP]);
      expect(
        stored.map(c => [
          c.entityRef,
          c.month,
          c.amount,
          c.currency,
          c.source,
          c.importedAt,
        ]),
      ).toEqual([
        [SP, '2026-09', '12.5', 'EUR', FILE, T1.toISOString()],
        [SP, '2026-09', '12.5', 'EUR', 'other.csv', T1.toISOString()],
        [SP, '2026-10', '0.000002', 'EUR', FILE, T2.toISOString()],
        [SP, '2026-11', '7', 'EUR', FILE, T2.toISOString()],
        [VP, '2026-09', '123456789.123456', 'USD', FILE, T2.toISOString()],
      ]);
      expect(
        (await costs.getCosts([SP], '2026-09')).map(c => c.source),
      ).toEqual([FILE, 'other.csv']);
      expect(await costs.getCosts([])).toEqual([]);
    });

    it('replaces a source with nothing when its file has no totals left', async () => {
      const { costs } = await setup();
      await costs.replaceCosts(FILE, totals, T1);
      expect(await costs.replaceCosts(FILE, [], T2)).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 0,
        deleted: 4,
      });
      expect(await costs.getCosts([SP, VP])).toEqual([]);
    });

    it('rejects a malformed month and writes nothing', async () => {
      const { costs } = await setup();
      await expect(
        costs.replaceCosts(FILE, [{ ...totals[0], month: '2026-9' }], T1),
      ).rejects.toThrow("Bad month '2026-9'");
      expect(await costs.getCosts([SP])).toEqual([]);
    });

    it('migrates the table down and up again', async () => {
      const { knex } = await setup();
      await migrateDownThrough(knex, '20261210090000_app_costs.js');
      expect(await knex.schema.hasTable('app_costs')).toBe(false);
      expect(await knex.schema.hasColumn('apps', 'expired_at')).toBe(true);
      await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      const costs = new DatabaseCostStore(knex);
      await costs.replaceCosts(FILE, totals, T1);
      expect(await costs.getCosts([SP])).toHaveLength(2);
    });
  },
);
