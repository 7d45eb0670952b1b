import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createTestStore, gateRun } from '../__testUtils__/testStore';
import { DatabaseMarketplaceStore } from './DatabaseMarketplaceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const run = gateRun;

describe.each(databases.eachSupportedId())(
  'DatabaseMarketplaceStore on %s',
  databaseId => {
    const createStore = () => createTestStore(databases, databaseId);

    it('reads the latest runs of many apps at once, newest run per app', async () => {
      const { store } = await createStore();
      await store.recordGateRun(run(), 'plugin:catalog');
      const other = await store.recordGateRun(
        run({ entityRef: 'microapp:default/other', inputHash: 'b'.repeat(64) }),
        'plugin:catalog',
      );
      const newer = await store.recordGateRun(
        run({ status: 'pass', inputHash: 'c'.repeat(64) }),
        'plugin:catalog',
      );
      const many = await store.getLatestGateRuns([
        'MicroApp:default/Expense-Helper',
        'microapp:default/other',
        'microapp:default/none',
      ]);
      expect([...many.keys()].sort()).toEqual([
        'microapp:default/expense-helper',
        'microapp:default/other',
      ]);
      expect(many.get('microapp:default/expense-helper')).toMatchObject({
        id: newer.id,
        status: 'pass',
      });
      expect(many.get('microapp:default/other')?.id).toBe(other.id);
    });

    it('stores a run and returns it as the latest, with the ref in lower case', async () => {
      const { store } = await createStore();
      const { id, created } = await store.recordGateRun(
        run(),
        'plugin:catalog',
      );
      expect(created).toBe(true);
      const latest = await store.getLatestGateRun(
        'microapp:default/expense-helper',
      );
      expect(latest).toEqual({
        ...run(),
        id,
        entityRef: 'microapp:default/expense-helper',
      });
      const apps = await store.getApps([
        'MicroApp:default/expense-helper',
        'microapp:default/none',
      ]);
      expect([...apps.keys()]).toEqual(['microapp:default/expense-helper']);
      expect(apps.get('microapp:default/expense-helper')).toMatchObject({
        requestedTier: 'discover',
        gateStatus: 'warn',
        latestRunId: id,
      });
    });

    it('refreshes the time of an identical run instead of adding history', async () => {
      const { store } = await createStore();
      const first = await store.recordGateRun(run(), 'plugin:catalog');
      const again = await store.recordGateRun(
        run({ evaluatedAt: '2026-11-28T11:00:00.000Z' }),
        'plugin:catalog',
      );
      expect(again).toEqual({ id: first.id, created: false });
      const history = await store.listGateRuns(
        'microapp:default/expense-helper',
      );
      expect(history).toHaveLength(1);
      expect(history[0].evaluatedAt).toBe('2026-11-28T11:00:00.000Z');
    });

    it('adds history when inputs, results or tier change, newest first', async () => {
      const { store } = await createStore();
      await store.recordGateRun(run(), 'plugin:catalog');
      await store.recordGateRun(
        run({ inputHash: 'b'.repeat(64) }),
        'plugin:catalog',
      );
      await store.recordGateRun(
        run({ inputHash: 'b'.repeat(64), tier: 'vetted', status: 'fail' }),
        'plugin:catalog',
      );
      const history = await store.listGateRuns(
        'microapp:default/expense-helper',
      );
      expect(history.map(h => [h.tier, h.status, h.inputHash[0]])).toEqual([
        ['vetted', 'fail', 'b'],
        ['discover', 'warn', 'b'],
        ['discover', 'warn', 'a'],
      ]);
      expect(
        (await store.getApps(['microapp:default/expense-helper'])).get(
          'microapp:default/expense-helper',
        ),
      ).toMatchObject({ requestedTier: 'vetted', gateStatus: 'fail' });
    });

    it('applies concurrent runs of one app in order, without losing or duplicating the latest', async () => {
      const { store } = await createStore();
      for (let round = 0; round < 3; round++) {
        const app = `microapp:default/app-${round}`;
        const runs = Array.from({ length: 10 }, (_, i) =>
          run({ entityRef: app, inputHash: String(i).padStart(64, '0') }),
        );
        await Promise.all(
          runs.map(r => store.recordGateRun(r, 'plugin:catalog')),
        );
        const history = await store.listGateRuns(app);
        expect(history).toHaveLength(10);
        // the latest is the one applied last, which is also the newest in the history
        const latest = await store.getLatestGateRun(app);
        expect(latest?.id).toBe(history[0].id);
        expect(latest?.inputHash).toBe(history[0].inputHash);
      }
    });

    it('migrates down and up again', async () => {
      const { knex } = await createStore();
      await knex.migrate.rollback(
        {
          directory: require('node:path').resolve(
            __dirname,
            '../../migrations',
          ),
        },
        true,
      );
      expect(await knex.schema.hasTable('gate_runs')).toBe(false);
      await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await knex.schema.hasTable('apps')).toBe(true);
    });
  },
);
