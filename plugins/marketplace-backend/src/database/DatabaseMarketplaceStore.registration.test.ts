import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { verifyStoredChain } from '../audit/AuditService';
import {
  createTestStore,
  gateRun,
  migrateDownThrough,
} from '../__testUtils__/testStore';
import { DatabaseMarketplaceStore } from './DatabaseMarketplaceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** Mixed case on purpose: refs are stored and compared in lower case. */
const APP = 'MicroApp:default/Expense-Helper';
const APP_LC = 'microapp:default/expense-helper';

const REGISTERED_AT = new Date('2026-12-01T09:00:00.000Z');
const EXPIRES_AT = new Date('2027-01-30T09:00:00.000Z');

const registration = (
  overrides: Partial<
    Parameters<DatabaseMarketplaceStore['registerApp']>[0]
  > = {},
) => ({
  entityRef: APP,
  registeredBy: 'User:default/Casey',
  actor: 'plugin:scaffolder',
  registeredAt: REGISTERED_AT,
  discoverExpiresAt: EXPIRES_AT,
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'DatabaseMarketplaceStore registration on %s',
  databaseId => {
    const createStore = () => createTestStore(databases, databaseId);

    it('registers a new app in Discover with its expiry and one audit entry', async () => {
      const { store } = await createStore();
      const { app, created, audit } = await store.registerApp(registration());
      expect(created).toBe(true);
      expect(app).toMatchObject({
        entityRef: APP_LC,
        effectiveTier: 'discover',
        requestedTier: 'discover',
        registeredAt: REGISTERED_AT.toISOString(),
        expiresAt: EXPIRES_AT.toISOString(),
        registeredBy: 'user:default/casey',
      });
      // what the transaction answered is what was stored
      expect((await store.getApps([APP])).get(APP_LC)).toEqual(app);

      expect(audit).toMatchObject({
        seq: 1,
        actor: 'plugin:scaffolder',
        action: 'app.registered',
        entityRef: APP_LC,
        data: {
          tier: 'discover',
          registeredBy: 'user:default/casey',
          expiresAt: EXPIRES_AT.toISOString(),
        },
      });
      expect(await store.listAudit({ entityRef: APP, limit: 10 })).toEqual([
        audit,
      ]);
      await expect(verifyStoredChain(store)).resolves.toMatchObject({
        ok: true,
        checked: 1,
      });
    });

    it('returns a registered app unchanged: no new audit entry, the expiry kept', async () => {
      const { store } = await createStore();
      const first = await store.registerApp(registration());
      const again = await store.registerApp(
        registration({
          entityRef: APP_LC,
          registeredBy: 'user:default/other',
          actor: 'plugin:catalog',
          registeredAt: new Date('2026-12-20T09:00:00.000Z'),
          discoverExpiresAt: new Date('2027-02-18T09:00:00.000Z'),
        }),
      );
      expect(again).toEqual({ app: first.app, created: false });
      expect(await store.listAudit({ limit: 10 })).toHaveLength(1);
    });

    it('registers an app first seen through a gate run, keeping its gate state', async () => {
      const { store } = await createStore();
      const { id } = await store.recordGateRun(
        gateRun({ entityRef: APP, tier: 'vetted' }),
        'plugin:catalog',
      );
      const before = (await store.getApps([APP])).get(APP_LC)!;
      expect(before.registeredAt).toBeUndefined();
      expect(before.expiresAt).toBeUndefined();

      const { app, created } = await store.registerApp(registration());
      expect(created).toBe(true);
      expect(app).toEqual({
        ...before,
        registeredAt: REGISTERED_AT.toISOString(),
        expiresAt: EXPIRES_AT.toISOString(),
        registeredBy: 'user:default/casey',
      });
      expect(app.latestRunId).toBe(id);
      const log = await store.listAudit({ entityRef: APP, limit: 10 });
      expect(log.map(e => e.action)).toEqual([
        'gates.evaluated',
        'app.registered',
      ]);
      await expect(verifyStoredChain(store)).resolves.toMatchObject({
        ok: true,
        checked: 2,
      });
    });

    it('gives no expiry to an app that is above Discover already', async () => {
      const { store } = await createStore();
      await store.inAppTransaction(APP, tx =>
        tx.setEffectiveTier('vetted', '2026-11-30T08:00:00.000Z'),
      );
      const { app, created, audit } = await store.registerApp(registration());
      expect(created).toBe(true);
      expect(app).toMatchObject({
        effectiveTier: 'vetted',
        registeredAt: REGISTERED_AT.toISOString(),
      });
      expect(app.expiresAt).toBeUndefined();
      expect(audit?.data).toEqual({
        tier: 'vetted',
        registeredBy: 'user:default/casey',
        expiresAt: null,
      });
    });

    it('registers an app once when ten registrations race', async () => {
      const { store } = await createStore();
      for (const round of [0, 1]) {
        const ref = `microapp:default/race-${round}`;
        // the second round races on an app whose row a gate run created
        if (round === 1) {
          await store.recordGateRun(
            gateRun({ entityRef: ref }),
            'plugin:catalog',
          );
        }
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.registerApp(
              registration({
                entityRef: ref,
                discoverExpiresAt: new Date(EXPIRES_AT.getTime() + i * 1000),
              }),
            ),
          ),
        );
        expect(results.filter(r => r.created)).toHaveLength(1);
        expect(results.filter(r => r.audit)).toHaveLength(1);
        // everyone sees the expiry of the one that registered it
        const winner = results.find(r => r.created)!;
        for (const r of results) {
          expect(r.app.expiresAt).toBe(winner.app.expiresAt);
        }
        const registered = await store.listAudit({ entityRef: ref, limit: 50 });
        expect(
          registered.filter(e => e.action === 'app.registered'),
        ).toHaveLength(1);
      }
      await expect(verifyStoredChain(store)).resolves.toMatchObject({
        ok: true,
      });
    });

    it('migrates the registration columns down and up again', async () => {
      const { knex, store } = await createStore();
      await store.registerApp(registration());
      // down past the migrations that came after it
      await migrateDownThrough(knex, '20261201090000_app_registration.js');
      expect(await knex.schema.hasColumn('apps', 'registered_at')).toBe(false);
      expect(await knex.schema.hasColumn('apps', 'expires_at')).toBe(false);
      expect(await knex.schema.hasColumn('apps', 'registered_by')).toBe(false);
      // the app itself survives
      expect(Number((await knex('apps').count({ n: '*' }).first())?.n)).toBe(1);
      const again = await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      const app = (await again.getApps([APP])).get(APP_LC);
      expect(app?.registeredAt).toBeUndefined();
      expect(app?.effectiveTier).toBe('discover');
    });
  },
);
