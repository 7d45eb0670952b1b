import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { verifyStoredChain } from '../audit/AuditService';
import {
  createTestStore,
  migrateDownThrough,
} from '../__testUtils__/testStore';
import { DatabaseMarketplaceStore } from './DatabaseMarketplaceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const DAY_MS = 86_400_000;
const T0 = new Date('2026-12-01T09:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);
const APP = 'MicroApp:default/Expense-Helper';
const APP_LC = 'microapp:default/expense-helper';

describe.each(databases.eachSupportedId())(
  'DatabaseMarketplaceStore Discover expiry on %s',
  databaseId => {
    async function setup() {
      const { store, knex } = await createTestStore(databases, databaseId);
      const register = (entityRef: string, expiresInDays: number) =>
        store.registerApp({
          entityRef,
          registeredBy: 'user:default/casey',
          actor: 'plugin:scaffolder',
          registeredAt: T0,
          discoverExpiresAt: at(expiresInDays),
        });
      return { store, knex, register };
    }

    it('lists Discover apps that expire by the horizon, oldest expiry first, with their warnings', async () => {
      const { store, register } = await setup();
      await register(APP, 60);
      await register('microapp:default/soon', 50);
      await register('microapp:default/later', 90);
      await register('microapp:default/vetted', 40);
      await store.inAppTransaction('microapp:default/vetted', tx =>
        tx.setEffectiveTier('vetted', T0.toISOString()),
      );
      await store.inAppTransaction(APP, tx =>
        tx.recordExpiryWarning({
          expiresAt: at(60).toISOString(),
          daysBefore: 14,
          sentAt: at(46).toISOString(),
        }),
      );
      const candidates = await store.listExpiryCandidates({
        now: at(46),
        warnUntil: at(60),
      });
      expect(
        candidates.map(c => [c.app.entityRef, c.app.expiresAt, c.warnedDays]),
      ).toEqual([
        ['microapp:default/soon', at(50).toISOString(), []],
        [APP_LC, at(60).toISOString(), [14]],
      ]);
    });

    it('pages through the candidates by expiry, then ref, each once, ties included', async () => {
      const { store, register } = await setup();
      const names = ['e', 'a', 'd', 'b', 'c'];
      // a, b and d expire at the same moment: the ref orders them
      const days: Record<string, number> = {
        a: 50,
        b: 50,
        c: 55,
        d: 50,
        e: 45,
      };
      for (const name of names) {
        await register(`microapp:default/${name}`, days[name]);
      }
      const seen: string[] = [];
      let after: { expiresAt: string; entityRef: string } | undefined;
      for (;;) {
        const page = await store.listExpiryCandidates({
          now: at(40),
          warnUntil: at(60),
          limit: 2,
          after,
        });
        seen.push(...page.map(c => c.app.entityRef.split('/')[1]));
        if (page.length < 2) break;
        const last = page[page.length - 1].app;
        after = { expiresAt: last.expiresAt!, entityRef: last.entityRef };
      }
      expect(seen).toEqual(['e', 'a', 'b', 'd', 'c']);
    });

    it('records a warning once: a repeat is a no-op that answers false', async () => {
      const { store, knex, register } = await setup();
      await register(APP, 60);
      const warning = {
        expiresAt: at(60).toISOString(),
        daysBefore: 7,
        sentAt: at(53).toISOString(),
      };
      const first = await store.inAppTransaction(APP, tx =>
        tx.recordExpiryWarning(warning),
      );
      const again = await store.inAppTransaction(APP, tx =>
        tx.recordExpiryWarning({ ...warning, sentAt: at(54).toISOString() }),
      );
      // the same days before another expiry is a new warning
      const renewed = await store.inAppTransaction(APP, tx =>
        tx.recordExpiryWarning({
          ...warning,
          expiresAt: at(120).toISOString(),
        }),
      );
      expect([first, again, renewed]).toEqual([true, false, true]);
      expect(
        Number((await knex('expiry_warnings').count({ n: '*' }).first())?.n),
      ).toBe(2);
    });

    it('records ten racing warnings once', async () => {
      const { store, register } = await setup();
      await register(APP, 60);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.inAppTransaction(APP, tx =>
            tx.recordExpiryWarning({
              expiresAt: at(60).toISOString(),
              daysBefore: 1,
              sentAt: at(59).toISOString(),
            }),
          ),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('marks an app expired and a renewal clears it, audited in the same transaction', async () => {
      const { store, register } = await setup();
      await register(APP, 60);
      await store.inAppTransaction(APP, async tx => {
        await tx.markExpired(at(60).toISOString());
        await tx.appendAudit({
          actor: 'plugin:marketplace',
          action: 'app.expired',
          entityRef: APP,
          data: {},
        });
      });
      expect((await store.getApps([APP])).get(APP_LC)?.expiredAt).toBe(
        at(60).toISOString(),
      );
      // an expired app is no longer a candidate
      expect(
        await store.listExpiryCandidates({ now: at(61), warnUntil: at(75) }),
      ).toEqual([]);

      await store.inAppTransaction(APP, async tx => {
        await tx.renew({
          expiresAt: at(121).toISOString(),
          renewedAt: at(61).toISOString(),
          renewedBy: 'User:default/Casey',
        });
        await tx.appendAudit({
          actor: 'user:default/casey',
          action: 'app.renewed',
          entityRef: APP,
          data: {},
        });
      });
      const app = (await store.getApps([APP])).get(APP_LC)!;
      expect(app).toMatchObject({
        expiresAt: at(121).toISOString(),
        renewedAt: at(61).toISOString(),
        renewedBy: 'user:default/casey',
      });
      expect(app.expiredAt).toBeUndefined();
      await expect(verifyStoredChain(store)).resolves.toMatchObject({
        ok: true,
      });
    });

    it('rolls a renewal back with its audit entry when the transaction fails', async () => {
      const { store, register } = await setup();
      await register(APP, 60);
      await expect(
        store.inAppTransaction(APP, async tx => {
          await tx.renew({
            expiresAt: at(121).toISOString(),
            renewedAt: at(61).toISOString(),
            renewedBy: 'user:default/casey',
          });
          await tx.appendAudit({
            actor: 'user:default/casey',
            action: 'app.renewed',
            entityRef: APP,
            data: {},
          });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const app = (await store.getApps([APP])).get(APP_LC)!;
      expect(app.expiresAt).toBe(at(60).toISOString());
      expect(app.renewedAt).toBeUndefined();
      const entries = await store.listAudit({ entityRef: APP, limit: 10 });
      expect(entries.map(e => e.action)).toEqual(['app.registered']);
    });

    it('migrates the expiry columns and table down and up again', async () => {
      const { knex, register } = await setup();
      await register(APP, 60);
      await migrateDownThrough(knex, '20261205090000_discover_expiry.js');
      expect(await knex.schema.hasTable('expiry_warnings')).toBe(false);
      expect(await knex.schema.hasColumn('apps', 'expired_at')).toBe(false);
      expect(await knex.schema.hasColumn('apps', 'renewed_at')).toBe(false);
      expect(await knex.schema.hasColumn('apps', 'renewed_by')).toBe(false);
      expect(await knex.schema.hasColumn('apps', 'expires_at')).toBe(true);
      const again = await DatabaseMarketplaceStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await knex.schema.hasTable('expiry_warnings')).toBe(true);
      expect((await again.getApps([APP])).get(APP_LC)?.expiresAt).toBe(
        at(60).toISOString(),
      );
    });
  },
);
