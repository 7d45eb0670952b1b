import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { verifyStoredChain } from '../audit/AuditService';
import { createTestStore } from '../__testUtils__/testStore';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { Notifier } from '../service/Notifier';
import { ChangeRunner } from '../service/workflow/ChangeRunner';
import { CostAlertService } from './CostAlerts';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const NOW = new Date('2026-11-29T11:00:00.000Z');
const APP = 'microapp:default/expense-helper';
const OTHER = 'microapp:default/ledger';
const OWNERS = 'group:default/finance-apps';

const entity = (name: string, monthlyForecast: unknown = 40) =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name, namespace: 'default', title: `The ${name}` },
    spec: {
      type: 'website',
      owner: OWNERS,
      cost: { center: 'CC-4711', monthlyForecast },
    },
    relations: [{ type: 'ownedBy', targetRef: OWNERS }],
  } as unknown as MicroAppEntityV1alpha1);

describe.each(databases.eachSupportedId())(
  'CostAlertService on %s',
  databaseId => {
    async function setup(
      options: { thresholds?: number[]; forecast?: unknown } = {},
    ) {
      const { store, knex } = await createTestStore(databases, databaseId);
      const costs = new DatabaseCostStore(knex);
      const send = jest.fn(async (_: any) => {});
      const logger = mockServices.logger.mock();
      const auditor = mockServices.auditor.mock();
      auditor.createEvent.mockResolvedValue({
        success: jest.fn(),
        fail: jest.fn(),
      });
      const catalog = new Map([
        [APP, entity('expense-helper', options.forecast ?? 40)],
        [OTHER, entity('ledger', 100)],
      ]);
      const directory = {
        getApps: jest.fn(async (refs: string[]) => {
          const out = new Map<string, MicroAppEntityV1alpha1>();
          for (const ref of refs) {
            if (catalog.has(ref)) out.set(ref, catalog.get(ref)!);
          }
          return out;
        }),
        refresh: jest.fn(async () => {}),
      };
      const changes = new ChangeRunner({
        store,
        directory: directory as any,
        notifier: new Notifier({ notifications: { send } as any, logger }),
        auditor,
        logger,
      });
      let now = NOW;
      const alerts = new CostAlertService({
        costs,
        directory,
        changes,
        logger,
        thresholds: options.thresholds ?? [25, 50, 100],
        currency: 'EUR',
        now: () => now,
      });
      const audit = async () =>
        (await store.listAudit({ limit: 100 })).filter(
          e => e.action === 'cost.alert',
        );
      const budget = (amount: number) =>
        store.inAppTransaction(APP, tx =>
          tx.recordBudget({
            amount,
            currency: 'EUR',
            approvedBy: 'user:default/bea',
            approvedAt: now.toISOString(),
            promotionId: 'p-1',
          }),
        );
      return {
        store,
        knex,
        costs,
        send,
        auditor,
        logger,
        alerts,
        audit,
        budget,
        setNow: (d: Date) => {
          now = d;
        },
      };
    }

    it('fires 25, 50 and 100 % once each for an actual of 100 against a forecast of 40, and nothing on a second run', async () => {
      const { costs, alerts, audit, send, auditor, store, knex } =
        await setup();
      // 100 in November from two sources
      await costs.replaceCosts('focus:a.csv', [
        { entityRef: APP, month: '2026-11', amount: '60', currency: 'EUR' },
      ]);
      await costs.replaceCosts('kubecost:eu', [
        { entityRef: APP, month: '2026-11', amount: '40', currency: 'EUR' },
      ]);
      expect(await alerts.runOnce()).toBe(3);

      const entries = await audit();
      expect(entries.map(e => [e.actor, e.entityRef, e.data])).toEqual(
        [25, 50, 100].map(threshold => [
          'plugin:marketplace',
          APP,
          {
            month: '2026-11',
            threshold,
            actual: 100,
            limit: 40,
            limitKind: 'forecast',
            currency: 'EUR',
          },
        ]),
      );
      expect(
        (await costs.listAlerts([APP])).map(a => [
          a.month,
          a.threshold,
          a.actual,
          a.limit,
          a.limitKind,
          a.firedAt,
        ]),
      ).toEqual(
        [25, 50, 100].map(t => [
          '2026-11',
          t,
          100,
          40,
          'forecast',
          NOW.toISOString(),
        ]),
      );
      expect(send).toHaveBeenCalledTimes(3);
      expect(send.mock.calls.map(([n]) => n.payload.severity)).toEqual([
        'normal',
        'normal',
        'high',
      ]);
      expect(send.mock.calls[2][0]).toEqual({
        recipients: { type: 'entity', entityRef: [APP] },
        payload: {
          title:
            'Cost alert: The expense-helper is more than 100 % over its forecast in 2026-11',
          description:
            'microapp:default/expense-helper cost 100.00 EUR in 2026-11, 150 % above its monthly forecast of 40.00 EUR.',
          link: '/catalog/default/microapp/expense-helper/governance',
          severity: 'high',
          topic: 'marketplace',
        },
      });
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'marketplace-cost-alert',
          severityLevel: 'medium',
        }),
      );

      // again: nothing new, even with the clock moved on within the window
      send.mockClear();
      expect(await alerts.runOnce()).toBe(0);
      expect(await audit()).toHaveLength(3);
      expect(send).not.toHaveBeenCalled();
      expect(Number((await knex('cost_alerts').count({ n: '*' }))[0].n)).toBe(
        3,
      );
      expect((await verifyStoredChain(store)).ok).toBe(true);
    });

    it('fires each threshold once when two checks run at the same time', async () => {
      const { costs, alerts, audit, send } = await setup();
      await costs.replaceCosts('focus:a.csv', [
        { entityRef: APP, month: '2026-11', amount: '100', currency: 'EUR' },
      ]);
      const runs = await Promise.all([alerts.runOnce(), alerts.runOnce()]);
      expect(runs[0] + runs[1]).toBe(3);
      expect((await audit()).map(e => e.data.threshold)).toEqual([25, 50, 100]);
      expect(send).toHaveBeenCalledTimes(3);
    });

    it('fires only the thresholds crossed, and the next ones when the actual grows', async () => {
      const { costs, alerts, audit, send } = await setup();
      const month = (amount: string) =>
        costs.replaceCosts('focus:a.csv', [
          { entityRef: APP, month: '2026-11', amount, currency: 'EUR' },
          // ledger: forecast 100, within
          {
            entityRef: OTHER,
            month: '2026-11',
            amount: '100',
            currency: 'EUR',
          },
        ]);
      await month('50'); // exactly 25 % over: not above it
      expect(await alerts.runOnce()).toBe(0);
      await month('50.01');
      expect(await alerts.runOnce()).toBe(1);
      await month('70');
      expect(await alerts.runOnce()).toBe(1);
      // the cost falls back: fired alerts stay fired
      await month('10');
      expect(await alerts.runOnce()).toBe(0);
      expect((await audit()).map(e => e.data.threshold)).toEqual([25, 50]);
      expect(send).toHaveBeenCalledTimes(2);
    });

    it('compares with the approved budget once there is one, and looks back two months', async () => {
      const { costs, alerts, audit, budget, setNow } = await setup({
        thresholds: [10],
      });
      await costs.replaceCosts('focus:a.csv', [
        { entityRef: APP, month: '2026-08', amount: '500', currency: 'EUR' }, // too old
        { entityRef: APP, month: '2026-09', amount: '50', currency: 'EUR' },
        { entityRef: APP, month: '2026-11', amount: '50', currency: 'EUR' },
        { entityRef: APP, month: '2026-10', amount: '500', currency: 'USD' }, // not counted
      ]);
      await budget(60);
      expect(await alerts.runOnce()).toBe(0); // 50 is within a budget of 60
      await budget(45);
      expect(await alerts.runOnce()).toBe(2);
      expect(
        (await audit()).map(e => [
          e.data.month,
          e.data.limit,
          e.data.limitKind,
        ]),
      ).toEqual([
        ['2026-09', 45, 'budget'],
        ['2026-11', 45, 'budget'],
      ]);
      // in December, September is out of the window
      setNow(new Date('2026-12-02T00:00:00.000Z'));
      await budget(40);
      expect(await alerts.runOnce()).toBe(0);
    });

    it('skips apps the catalog does not know and apps without a usable forecast', async () => {
      const { costs, alerts, audit } = await setup({ forecast: 'a lot' });
      await costs.replaceCosts('focus:a.csv', [
        { entityRef: APP, month: '2026-11', amount: '1000', currency: 'EUR' },
        {
          entityRef: 'microapp:default/gone',
          month: '2026-11',
          amount: '1000',
          currency: 'EUR',
        },
      ]);
      expect(await alerts.runOnce()).toBe(0);
      expect(await audit()).toEqual([]);
    });

    it('fires nothing when no thresholds are configured', async () => {
      const { costs, alerts } = await setup({ thresholds: [] });
      await costs.replaceCosts('focus:a.csv', [
        { entityRef: APP, month: '2026-11', amount: '1000', currency: 'EUR' },
      ]);
      expect(await alerts.runOnce()).toBe(0);
    });

    it('logs an app whose check fails and goes on with the others', async () => {
      const { costs, alerts, audit, logger, store } = await setup();
      await costs.replaceCosts('focus:a.csv', [
        { entityRef: APP, month: '2026-11', amount: '1000', currency: 'EUR' },
        { entityRef: OTHER, month: '2026-11', amount: '1000', currency: 'EUR' },
      ]);
      const original = store.inAppTransaction.bind(store);
      jest
        .spyOn(store, 'inAppTransaction')
        .mockImplementation(async (ref, fn) => {
          if (ref === APP) throw new Error('deadlock');
          return original(ref, fn);
        });
      expect(await alerts.runOnce()).toBe(3);
      expect(new Set((await audit()).map(e => e.entityRef))).toEqual(
        new Set([OTHER]),
      );
      expect(logger.error).toHaveBeenCalledWith(
        `Cost alert check of '${APP}' failed: Error: deadlock`,
      );
    });
  },
);
