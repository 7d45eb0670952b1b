import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { verifyStoredChain } from '../../audit/AuditService';
import { createTestStore } from '../../__testUtils__/testStore';
import { AccessGuard } from '../AccessGuard';
import { DefaultMarketplaceService } from '../MarketplaceService';
import { Notifier } from '../Notifier';
import { ChangeRunner } from '../workflow/ChangeRunner';
import type { WorkflowConfig } from '../workflow/readWorkflowConfig';
import { TierService } from '../workflow/TierService';
import { ExpiryService } from './ExpiryService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const DAY_MS = 86_400_000;
const T0 = new Date('2026-12-01T09:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);

const APP = 'microapp:default/expense-helper';
const REF = { namespace: 'default', name: 'expense-helper' };
const OWNERS = 'group:default/finance-apps';
const owner = mockCredentials.user('user:default/olga');
const outsider = mockCredentials.user('user:default/otto');

const entity = (name: string): MicroAppEntityV1alpha1 =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'website',
      owner: OWNERS,
      cost: { center: 'CC-1', monthlyForecast: 5 },
    },
    relations: [{ type: 'ownedBy', targetRef: OWNERS }],
  } as unknown as MicroAppEntityV1alpha1);

const config = {
  discoverExpiresAfterDays: 60,
  discoverWarnDaysBefore: [14, 7, 1],
  reviewers: {},
} as unknown as WorkflowConfig;

describe.each(databases.eachSupportedId())(
  'ExpiryService on %s',
  databaseId => {
    async function setup() {
      const { store, knex } = await createTestStore(databases, databaseId);
      let now = T0;
      const clock = () => now;
      const send = jest.fn(async (_: unknown) => {});
      const refresh = jest.fn(async (_: string) => {});
      const logger = mockServices.logger.mock();
      const auditor = mockServices.auditor.mock();
      auditor.createEvent.mockResolvedValue({
        success: jest.fn(),
        fail: jest.fn(),
      });
      const known = new Set([
        APP,
        'microapp:default/ledger',
        'microapp:default/late',
      ]);
      const directory = {
        getVisibleApp: jest.fn(async (ref: any) => {
          const name = typeof ref === 'string' ? ref.split('/')[1] : ref.name;
          if (!known.has(`microapp:default/${name}`)) {
            throw new NotFoundError(`No app 'microapp:default/${name}'`);
          }
          return entity(name);
        }),
        refresh,
      };
      // the policy's rule for promotion.request: owners only
      const permissions = mockServices.permissions.mock();
      permissions.authorize.mockImplementation(async (requests, options) =>
        requests.map(() => ({
          result:
            (options.credentials.principal as any).userEntityRef ===
            'user:default/olga'
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        })),
      );
      const changes = new ChangeRunner({
        store,
        directory: directory as any,
        notifier: new Notifier({ notifications: { send } as any, logger }),
        auditor,
        logger,
      });
      const common = {
        store,
        directory: directory as any,
        guard: new AccessGuard(permissions),
        changes,
        config,
        now: clock,
      };
      const apps = new DefaultMarketplaceService({
        ...common,
        catalog: {} as any,
        promotions: { listForApp: async () => [] } as any,
        currency: 'EUR',
        discoverExpiresAfterDays: 60,
        now: clock,
      });
      const expiry = new ExpiryService({ ...common, apps, logger });
      const tiers = new TierService({ ...common, membership: {} as any });
      const register = (entityRef = APP) =>
        store.registerApp({
          entityRef,
          registeredBy: 'user:default/olga',
          actor: 'plugin:scaffolder',
          registeredAt: T0,
          discoverExpiresAt: at(60),
        });
      const audit = async (action: string, entityRef = APP) =>
        (await store.listAudit({ entityRef, limit: 100 })).filter(
          e => e.action === action,
        );
      const titles = () =>
        send.mock.calls.map(c => (c[0] as any).payload.title);
      return {
        store,
        knex,
        expiry,
        apps,
        tiers,
        send,
        refresh,
        logger,
        register,
        audit,
        titles,
        setNow: (d: Date) => {
          now = d;
        },
      };
    }

    it('warns 7 days ahead exactly once over three runs, and not 14 days ahead as well', async () => {
      const t = await setup();
      await t.register();
      t.setNow(at(53));
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await t.expiry.runOnce());
      expect(runs).toEqual([
        { warned: 1, expired: 0 },
        { warned: 0, expired: 0 },
        { warned: 0, expired: 0 },
      ]);
      expect(t.titles()).toEqual(['Discover app expires in 7 days']);
      expect(t.send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: [APP] },
        }),
      );
      const warned = await t.audit('app.expiry-warned');
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({
        actor: 'plugin:marketplace',
        data: { expiresAt: at(60).toISOString(), daysBefore: 7 },
      });
      const rows = await t.knex('expiry_warnings').select('days_before');
      expect(rows.map(r => Number(r.days_before))).toEqual([7]);
    });

    it('sends the 14-day warning on day 46, then the 7-day and 1-day ones in turn', async () => {
      const t = await setup();
      await t.register();
      for (const day of [45, 46, 46.5, 53, 58, 59, 59.5]) {
        t.setNow(at(day));
        await t.expiry.runOnce();
      }
      expect(t.titles()).toEqual([
        'Discover app expires in 14 days',
        'Discover app expires in 7 days',
        'Discover app expires in 1 day',
      ]);
      expect(await t.audit('app.expiry-warned')).toHaveLength(3);
    });

    it('sends only the nearest missed warning after the job was down', async () => {
      const t = await setup();
      await t.register();
      t.setNow(at(59.5));
      expect(await t.expiry.runOnce()).toEqual({ warned: 1, expired: 0 });
      expect(t.titles()).toEqual(['Discover app expires in 1 day']);
    });

    it('expires the app on day 60 once, labels it, hides it, and a renewal restores it', async () => {
      const t = await setup();
      await t.register();
      t.setNow(at(60));
      expect(await t.expiry.runOnce()).toEqual({ warned: 0, expired: 1 });
      expect(await t.expiry.runOnce()).toEqual({ warned: 0, expired: 0 });

      const record = (await t.store.getApps([APP])).get(APP)!;
      expect(record.expiredAt).toBe(at(60).toISOString());
      expect(record.effectiveTier).toBe('discover');
      const expired = await t.audit('app.expired');
      expect(expired).toHaveLength(1);
      expect(expired[0]).toMatchObject({
        actor: 'plugin:marketplace',
        data: { expiresAt: at(60).toISOString() },
      });
      expect(t.titles()).toEqual(['Discover app expired']);
      expect(t.refresh).toHaveBeenCalledTimes(1);
      expect(t.refresh).toHaveBeenCalledWith(APP);

      const state = await t.apps.getApp(REF, owner);
      expect(state).toMatchObject({
        tier: 'expired',
        expiresAt: at(60).toISOString(),
        renewal: { allowed: true },
      });
      expect(await t.tiers.getTierStates([APP])).toEqual([
        expect.objectContaining({
          tier: 'discover',
          expired: true,
          expiresAt: at(60).toISOString(),
        }),
      ]);

      // a non-owner may not renew (DENY), and nothing changes
      t.setNow(at(61));
      await expect(t.expiry.renew(REF, outsider)).rejects.toThrow(
        NotAllowedError,
      );
      expect(await t.audit('app.renewed')).toHaveLength(0);

      const renewed = await t.expiry.renew(REF, owner);
      expect(renewed).toMatchObject({
        tier: 'discover',
        expiresAt: at(121).toISOString(),
        renewal: {
          allowed: false,
          renewedAt: at(61).toISOString(),
          reason:
            'renewed on 2027-01-31; the next renewal opens on 2027-03-18, 14 days before the expiry',
        },
      });
      const after = (await t.store.getApps([APP])).get(APP)!;
      expect(after).toMatchObject({
        expiresAt: at(121).toISOString(),
        renewedAt: at(61).toISOString(),
        renewedBy: 'user:default/olga',
      });
      expect(after.expiredAt).toBeUndefined();
      const entries = await t.audit('app.renewed');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        actor: 'user:default/olga',
        data: {
          expiresAt: at(121).toISOString(),
          previousExpiresAt: at(60).toISOString(),
          wasExpired: true,
        },
      });
      expect(t.refresh).toHaveBeenCalledTimes(2);
      expect((await t.tiers.getTierStates([APP]))[0]).toMatchObject({
        expired: false,
        expiresAt: at(121).toISOString(),
      });

      // a second renewal in the same period is a conflict
      t.setNow(at(62));
      const second = t.expiry.renew(REF, owner);
      await expect(second).rejects.toThrow(ConflictError);
      await expect(second).rejects.toThrow(
        "'microapp:default/expense-helper' cannot be renewed: renewed on 2027-01-31; the next renewal opens on 2027-03-18, 14 days before the expiry",
      );
      expect(await t.audit('app.renewed')).toHaveLength(1);

      // warnings start afresh for the new expiry
      t.setNow(at(114));
      expect(await t.expiry.runOnce()).toEqual({ warned: 1, expired: 0 });
      expect(t.titles().pop()).toBe('Discover app expires in 7 days');

      await expect(verifyStoredChain(t.store)).resolves.toMatchObject({
        ok: true,
      });
    });

    it('renews a Discover app before its expiry once per period', async () => {
      const t = await setup();
      await t.register();
      t.setNow(at(50));
      expect((await t.apps.getApp(REF, owner)).renewal).toEqual({
        allowed: true,
      });
      const renewed = await t.expiry.renew(REF, owner);
      expect(renewed.expiresAt).toBe(at(110).toISOString());
      await expect(t.expiry.renew(REF, owner)).rejects.toThrow(ConflictError);
    });

    it('refuses to renew an app above Discover (409) and an unknown app (404)', async () => {
      const t = await setup();
      await t.register('microapp:default/ledger');
      await t.store.inAppTransaction('microapp:default/ledger', tx =>
        tx.setEffectiveTier('vetted', T0.toISOString()),
      );
      const ledger = { namespace: 'default', name: 'ledger' };
      await expect(t.expiry.renew(ledger, owner)).rejects.toThrow(
        "'microapp:default/ledger' cannot be renewed: only Discover apps expire",
      );
      expect((await t.apps.getApp(ledger, owner)).renewal).toEqual({
        allowed: false,
        reason: 'only Discover apps expire',
      });
      await expect(
        t.expiry.renew({ namespace: 'default', name: 'nope' }, owner),
      ).rejects.toThrow(NotFoundError);
    });

    it('never expires or warns a promoted app, and reports it without an expiry', async () => {
      const t = await setup();
      await t.register('microapp:default/ledger');
      await t.store.inAppTransaction('microapp:default/ledger', tx =>
        tx.setEffectiveTier('vetted', T0.toISOString()),
      );
      for (const day of [53, 60, 70]) {
        t.setNow(at(day));
        expect(await t.expiry.runOnce()).toEqual({ warned: 0, expired: 0 });
      }
      expect(t.send).not.toHaveBeenCalled();
      expect(
        (await t.tiers.getTierStates(['microapp:default/ledger']))[0],
      ).toMatchObject({ tier: 'vetted', expired: false, expiresAt: null });
    });

    it('logs a failed catalog refresh and still records the expiry', async () => {
      const t = await setup();
      await t.register();
      t.refresh.mockRejectedValue(new Error('catalog down'));
      t.setNow(at(60));
      expect(await t.expiry.runOnce()).toEqual({ warned: 0, expired: 1 });
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('catalog down'),
      );
      expect((await t.store.getApps([APP])).get(APP)?.expiredAt).toBeDefined();
    });
  },
);
