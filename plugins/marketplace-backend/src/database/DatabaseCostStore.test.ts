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

    it('stores cost center totals with the app totals of a source, and sums them over sources', async () => {
      const { costs, knex } = await setup();
      const centers = [
        {
          costCenter: 'CC-1000',
          month: '2026-09',
          amount: '27.640198',
          currency: 'EUR',
        },
        {
          costCenter: ' CC-4711 ',
          month: '2026-09',
          amount: '18.42631',
          currency: 'EUR',
        },
        {
          costCenter: 'CC-4711',
          month: '2026-10',
          amount: '1',
          currency: 'EUR',
        },
      ];
      expect(await costs.replaceCosts(FILE, totals, T1, centers)).toEqual({
        inserted: 7,
        updated: 0,
        unchanged: 0,
        deleted: 0,
      });
      expect(await costs.replaceCosts(FILE, totals, T2, centers)).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 7,
        deleted: 0,
      });
      await costs.replaceCosts('kubecost:eu', [], T1, [
        {
          costCenter: 'CC-4711',
          month: '2026-09',
          amount: '0.57369',
          currency: 'EUR',
        },
        {
          costCenter: 'CC-4711',
          month: '2026-09',
          amount: '0.00001',
          currency: 'EUR',
        },
        {
          costCenter: 'CC-5100',
          month: '2026-09',
          amount: '3',
          currency: 'USD',
        },
      ]);
      expect(await costs.getCostCenterCosts('2026-09')).toEqual([
        { costCenter: 'CC-1000', amount: '27.640198', currency: 'EUR' },
        { costCenter: 'CC-4711', amount: '19.00001', currency: 'EUR' },
        { costCenter: 'CC-5100', amount: '3', currency: 'USD' },
      ]);
      await expect(
        costs.replaceCosts('kubecost:eu', [], T1, [
          {
            costCenter: 'CC-1',
            month: '2026-09',
            amount: '1',
            currency: 'EUR',
          },
          {
            costCenter: 'CC-1',
            month: '2026-09',
            amount: '1',
            currency: 'USD',
          },
        ]),
      ).rejects.toThrow('Two currencies (EUR, USD) for CC-1 in 2026-09');
      expect(await costs.getCostCenterCosts('2026-11')).toEqual([]);

      // the source lost a cost center: deleted with the rest of the change, at once
      expect(
        await costs.replaceCosts(FILE, totals, T2, [
          { ...centers[0], amount: '27.64' },
        ]),
      ).toEqual({ inserted: 0, updated: 1, unchanged: 4, deleted: 2 });
      expect(
        await knex('cost_center_costs')
          .where({ source: FILE })
          .select('cost_center', 'month'),
      ).toEqual([{ cost_center: 'CC-1000', month: '2026-09' }]);
      // a bad batch changes neither table
      await expect(
        costs.replaceCosts(FILE, [], T2, [{ ...centers[0], month: '09/2026' }]),
      ).rejects.toThrow("Bad month '09/2026' for CC-1000");
      expect(await costs.getCosts([SP, VP])).toHaveLength(4);
    });

    it('sums the actuals of apps per month over sources, in one currency', async () => {
      const { costs } = await setup();
      await costs.replaceCosts('focus:a.csv', totals, T1);
      await costs.replaceCosts(
        'focus:b.csv',
        [
          {
            entityRef: SP,
            month: '2026-10',
            amount: '2.999999',
            currency: 'EUR',
          },
          { entityRef: SP, month: '2026-11', amount: '99', currency: 'USD' },
          { entityRef: VP, month: '2026-08', amount: '5', currency: 'EUR' },
        ],
        T1,
      );
      const all = await costs.getMonthlyActuals(
        [SP, VP, 'microapp:default/none'],
        {
          currency: 'EUR',
        },
      );
      expect(
        Object.fromEntries(
          [...all].map(([ref, months]) => [ref, Object.fromEntries(months)]),
        ),
      ).toEqual({
        [SP]: { '2026-09': 12_500_000n, '2026-10': 3_000_000n },
        [VP]: {
          '2026-08': 5_000_000n,
          '2026-09': 123_456_789_123_456n,
          '2026-10': -3_250_000n,
        },
      });
      const latest = await costs.getMonthlyActuals(
        ['MicroApp:default/Status-Page', VP],
        {
          currency: 'EUR',
          latestOnly: true,
        },
      );
      expect([...latest].map(([ref, m]) => [ref, [...m]])).toEqual([
        [SP, [['2026-10', 3_000_000n]]],
        [VP, [['2026-10', -3_250_000n]]],
      ]);
      const usd = await costs.getMonthlyActuals([SP], {
        currency: 'USD',
        latestOnly: true,
      });
      expect([...usd.get(SP)!]).toEqual([['2026-11', 99_000_000n]]);
      const since = await costs.getMonthlyActuals([VP], {
        currency: 'EUR',
        since: '2026-09',
      });
      expect([...since.get(VP)!.keys()].sort()).toEqual(['2026-09', '2026-10']);
      expect(
        await costs.listAppsWithActuals({ currency: 'EUR', since: '2026-10' }),
      ).toEqual([SP, VP]);
      expect(
        await costs.listAppsWithActuals({ currency: 'EUR', since: '2026-11' }),
      ).toEqual([]);
    });

    it('keeps every approved budget and answers the newest; records an alert once', async () => {
      const { costs, knex } = await setup();
      const store = await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      const budget = (amount: number, approvedAt: string) =>
        store.inAppTransaction(SP, tx =>
          tx.recordBudget({
            amount,
            currency: 'EUR',
            approvedBy: 'user:default/bea',
            approvedAt,
            promotionId: `p-${amount}`,
          }),
        );
      expect(await costs.getBudgets([SP])).toEqual(new Map());
      await budget(60.5, '2026-11-01T10:00:00.000Z');
      await budget(80, '2026-11-20T10:00:00.000Z');
      await budget(70, '2026-11-10T10:00:00.000Z'); // recorded later, approved earlier
      const expected = {
        amount: 80,
        currency: 'EUR',
        approvedBy: 'user:default/bea',
        approvedAt: '2026-11-20T10:00:00.000Z',
        promotionId: 'p-80',
      };
      expect(
        await costs.getBudgets(['MicroApp:default/Status-Page', VP]),
      ).toEqual(new Map([[SP, expected]]));
      expect(await store.inAppTransaction(SP, tx => tx.getBudget())).toEqual(
        expected,
      );
      expect(Number((await knex('app_budgets').count({ n: '*' }))[0].n)).toBe(
        3,
      );

      const alert = {
        month: '2026-11',
        threshold: 25,
        actual: '100.5',
        limit: '80',
        limitKind: 'budget' as const,
        currency: 'EUR',
        firedAt: T1.toISOString(),
      };
      expect(
        await store.inAppTransaction(SP, tx => tx.recordCostAlert(alert)),
      ).toBe(true);
      expect(
        await store.inAppTransaction(SP, tx => tx.recordCostAlert(alert)),
      ).toBe(false);
      await store.inAppTransaction(SP, tx =>
        tx.recordCostAlert({ ...alert, threshold: 12.5 }),
      );
      await store.inAppTransaction(SP, tx =>
        tx.recordCostAlert({ ...alert, month: '2026-10' }),
      );
      expect(await costs.listAlerts([SP], ['2026-11'])).toEqual([
        { ...alert, threshold: 12.5, actual: 100.5, limit: 80, entityRef: SP },
        { ...alert, actual: 100.5, limit: 80, entityRef: SP },
      ]);
      expect((await costs.listAlerts([SP, VP])).map(a => a.month)).toEqual([
        '2026-10',
        '2026-11',
        '2026-11',
      ]);
    });

    it('migrates the cost tables down and up, renaming the sources of earlier imports', async () => {
      const { knex, costs } = await setup();
      await costs.replaceCosts('focus:old.csv', totals, T1, [
        { costCenter: 'CC-1', month: '2026-09', amount: '1', currency: 'EUR' },
      ]);
      await migrateDownThrough(knex, '20261215090000_cost_alerts_budgets.js');
      expect(await knex.schema.hasTable('cost_center_costs')).toBe(false);
      expect(await knex.schema.hasTable('cost_alerts')).toBe(false);
      expect(await knex.schema.hasTable('app_budgets')).toBe(false);
      expect(await knex.schema.hasColumn('signoffs', 'budget')).toBe(false);
      expect(await knex('app_costs').distinct('source')).toEqual([
        { source: 'old.csv' },
      ]);
      await knex('app_costs').insert({
        entity_ref: SP,
        month: '2026-12',
        amount: '1',
        currency: 'EUR',
        source: 'before.csv',
        imported_at: T1,
      });
      await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      expect(
        (await knex('app_costs').distinct('source')).map(r => r.source).sort(),
      ).toEqual(['focus:before.csv', 'focus:old.csv']);
      expect(await knex.schema.hasColumn('signoffs', 'budget')).toBe(true);
      // the next import of the same file finds its rows
      expect(await costs.replaceCosts('focus:old.csv', totals, T2)).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 4,
        deleted: 0,
      });
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
