import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type { ActivitySignal } from '@microapps/plugin-marketplace-node';
import { verifyStoredChain } from '../../audit/AuditService';
import {
  createTestStore,
  gateRun,
  migrateDownThrough,
} from '../../__testUtils__/testStore';
import { Notifier } from '../../service/Notifier';
import { ChangeRunner } from '../../service/workflow/ChangeRunner';
import { CatalogActivitySignal, UsageActivitySignal } from './activitySignals';
import { DatabaseActivityStore } from './DatabaseActivityStore';
import { IdleDetectionJob } from './IdleDetectionJob';
import { IdleDetector } from './IdleDetector';
import { UsageService } from './UsageService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const DAY_MS = 86_400_000;
const APP = 'microapp:default/expense-helper';
const OTHER = 'microapp:default/ledger';
const OWNERS = 'group:default/finance-apps';
const collector = mockCredentials.service('external:usage-collector');

const entity = (name: string, description = 'v1'): MicroAppEntityV1alpha1 =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: {
      name,
      namespace: 'default',
      title: name === 'expense-helper' ? 'Expense Helper' : undefined,
      description,
      uid: `uid-${Math.random()}`,
      etag: `etag-${Math.random()}`,
      labels: { 'microapps.dev/tier': 'discover' },
    },
    spec: { type: 'website', owner: OWNERS },
    relations: [{ type: 'ownedBy', targetRef: OWNERS }],
  } as unknown as MicroAppEntityV1alpha1);

describe.each(databases.eachSupportedId())(
  'idle detection on %s',
  databaseId => {
    async function setup(options: { extra?: ActivitySignal[] } = {}) {
      const { store, knex } = await createTestStore(databases, databaseId);
      // the databases' own timestamps (first sighting, gate runs) are real: the clock starts
      // just after them, so the registration (at T0) is the newest catalog activity
      const T0 = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
      const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);
      let now = T0;
      const clock = () => now;
      const send = jest.fn(async (_: unknown) => {});
      const logger = mockServices.logger.mock();
      const auditor = mockServices.auditor.mock();
      auditor.createEvent.mockResolvedValue({
        success: jest.fn(),
        fail: jest.fn(),
      });
      const catalog = new Map<string, MicroAppEntityV1alpha1>([
        [APP, entity('expense-helper')],
        [OTHER, entity('ledger')],
      ]);
      const directory = {
        getApps: jest.fn(async (refs: string[]) => {
          const found = new Map<string, MicroAppEntityV1alpha1>();
          for (const ref of refs) {
            const e = catalog.get(ref);
            // a fresh etag and uid on every read, as the catalog has after each write
            if (e) {
              found.set(ref, {
                ...e,
                metadata: { ...e.metadata, etag: `etag-${Math.random()}` },
              });
            }
          }
          return found;
        }),
      };
      const changes = new ChangeRunner({
        store,
        directory: directory as any,
        notifier: new Notifier({ notifications: { send } as any, logger }),
        auditor,
        logger,
      });
      const activity = new DatabaseActivityStore(knex);
      const catalogSignal = new CatalogActivitySignal(activity);
      const detector = new IdleDetector({
        store: activity,
        signals: [
          catalogSignal,
          new UsageActivitySignal(activity),
          ...(options.extra ?? []),
        ],
        logger,
      });
      const config = { idleAfterDays: 30, checkEvery: { hours: 24 } };
      const job = new IdleDetectionJob({
        store: activity,
        detector,
        catalogSignal,
        directory,
        changes,
        logger,
        config,
        now: clock,
      });
      const usage = new UsageService({
        store: activity,
        directory,
        changes,
        idleAfterDays: 30,
        now: clock,
      });
      const register = (entityRef = APP, expiresInDays = 400) =>
        store.registerApp({
          entityRef,
          registeredBy: 'user:default/olga',
          actor: 'plugin:scaffolder',
          registeredAt: T0,
          discoverExpiresAt: at(expiresInDays),
        });
      const audit = async (action: string, entityRef = APP) =>
        (await store.listAudit({ entityRef, limit: 100 })).filter(
          e => e.action === action,
        );
      const titles = () =>
        send.mock.calls.map(c => (c[0] as any).payload.title);
      const flagRows = () => knex('app_idle_flags').select('entity_ref');
      return {
        store,
        knex,
        activity,
        detector,
        job,
        usage,
        catalog,
        send,
        auditor,
        logger,
        register,
        audit,
        titles,
        flagRows,
        at,
        T0,
        setNow: (d: Date) => {
          now = d;
        },
      };
    }

    it('flags an app without a signal for 31 days exactly once over three runs, clears it on usage, and flags it again after 31 more quiet days', async () => {
      const t = await setup();
      await t.register();
      t.setNow(t.at(29));
      expect(await t.job.runOnce()).toEqual({ flagged: 0, cleared: 0 });

      t.setNow(t.at(31));
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await t.job.runOnce());
      expect(runs).toEqual([
        { flagged: 1, cleared: 0 },
        { flagged: 0, cleared: 0 },
        { flagged: 0, cleared: 0 },
      ]);
      expect(t.titles()).toEqual(['Expense Helper looks idle']);
      const payload = (t.send.mock.calls[0][0] as any).payload;
      expect(payload.description).toContain('no activity for 31 days');
      expect(payload.description).toContain(
        `a change in the catalog on ${t.T0.toISOString().slice(0, 10)}`,
      );
      expect(payload.link).toBe(
        '/catalog/default/microapp/expense-helper/governance',
      );
      expect(t.send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: [APP] },
        }),
      );
      const flagged = await t.audit('app.idle-flagged');
      expect(flagged).toHaveLength(1);
      expect(flagged[0]).toMatchObject({
        actor: 'plugin:marketplace',
        data: {
          idleAfterDays: 30,
          signal: 'catalog',
          lastActivity: t.T0.toISOString(),
        },
      });
      expect(t.auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'marketplace-app-idle-flagged',
          severityLevel: 'low',
        }),
      );
      expect(await t.detector.idleRefs([APP, OTHER])).toEqual(new Set([APP]));

      // a usage report clears the flag at once, in its own transaction
      t.setNow(t.at(31.5));
      const reported = await t.usage.ingest(
        { namespace: 'default', name: 'expense-helper' },
        {},
        collector,
      );
      expect(reported).toEqual({
        entityRef: APP,
        day: t.at(31.5).toISOString().slice(0, 10),
        count: 1,
      });
      expect(await t.flagRows()).toEqual([]);
      const cleared = await t.audit('app.idle-cleared');
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatchObject({
        actor: 'external:usage-collector',
        data: {
          signal: 'usage',
          lastActivity: t.at(31.5).toISOString(),
          flaggedAt: t.at(31).toISOString(),
        },
      });
      expect((await t.detector.lastActivity([APP])).get(APP)).toEqual({
        at: t.at(31.5).toISOString(),
        signal: 'usage',
      });
      expect(await t.job.runOnce()).toEqual({ flagged: 0, cleared: 0 });

      // 31 quiet days after the use
      t.setNow(t.at(60));
      expect(await t.job.runOnce()).toEqual({ flagged: 0, cleared: 0 });
      t.setNow(t.at(62.6));
      expect(await t.job.runOnce()).toEqual({ flagged: 1, cleared: 0 });
      expect(await t.job.runOnce()).toEqual({ flagged: 0, cleared: 0 });
      expect(t.titles()).toEqual([
        'Expense Helper looks idle',
        'Expense Helper looks idle',
      ]);
      const again = await t.audit('app.idle-flagged');
      expect(again).toHaveLength(2);
      expect(again[1].data).toMatchObject({
        signal: 'usage',
        lastActivity: t.at(31.5).toISOString(),
      });
      expect((await verifyStoredChain(t.store)).ok).toBe(true);
    });

    it('counts a manifest or SBOM change as activity, but not a gate re-evaluation for a new vulnerability feed', async () => {
      const t = await setup();
      await t.register();
      await t.store.recordGateRun(
        gateRun({ entityRef: APP, sbomSha256: 'a'.repeat(64) }),
        'plugin:catalog',
      );
      // the job has seen the app once
      await t.job.runOnce();
      // a new feed: new input hash and results, same manifest and SBOM
      const feedRun = await t.store.recordGateRun(
        gateRun({
          entityRef: APP,
          inputHash: 'b'.repeat(64),
          sbomSha256: 'a'.repeat(64),
          status: 'pass',
        }),
        'plugin:catalog',
      );
      expect(feedRun.created).toBe(true);
      await t
        .knex('gate_runs')
        .where({ id: Number(feedRun.id) })
        .update({ created_at: t.at(20) });
      t.setNow(t.at(20.5));
      await t.job.runOnce();
      t.setNow(t.at(31));
      expect(await t.job.runOnce()).toEqual({ flagged: 1, cleared: 0 });

      // the owners edit the manifest: the next run sees the change and clears the flag
      t.catalog.set(APP, entity('expense-helper', 'v2'));
      t.setNow(t.at(32));
      expect(await t.job.runOnce()).toEqual({ flagged: 0, cleared: 1 });
      expect((await t.detector.lastActivity([APP])).get(APP)).toEqual({
        at: t.at(32).toISOString(),
        signal: 'catalog',
      });
      const cleared = await t.audit('app.idle-cleared');
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatchObject({
        actor: 'plugin:marketplace',
        data: { signal: 'catalog', lastActivity: t.at(32).toISOString() },
      });

      // a new SBOM counts as well
      t.setNow(t.at(63));
      expect(await t.job.runOnce()).toEqual({ flagged: 1, cleared: 0 });
      await t.store.recordGateRun(
        gateRun({
          entityRef: APP,
          inputHash: 'c'.repeat(64),
          sbomSha256: 'd'.repeat(64),
        }),
        'plugin:catalog',
      );
      t.setNow(t.at(64));
      expect(await t.job.runOnce()).toEqual({ flagged: 0, cleared: 1 });
    });

    it('does not flag expired apps, apps gone from the catalog, or any app while a signal fails', async () => {
      const failing: ActivitySignal = {
        id: 'broken',
        lastActivity: jest.fn(async () => {
          throw new Error('down');
        }),
      };
      const t = await setup({ extra: [failing] });
      await t.register(APP, 20);
      await t.register(OTHER);
      await t.register('microapp:default/gone');
      t.setNow(t.at(31));
      expect(await t.job.runOnce()).toEqual({ flagged: 0, cleared: 0 });
      expect(t.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining("Activity signal 'broken' failed"),
        { signal: 'broken' },
      );
      // the signal is back: only the ledger is flagged
      (failing.lastActivity as jest.Mock).mockResolvedValue(new Map());
      expect(await t.job.runOnce()).toEqual({ flagged: 1, cleared: 0 });
      expect((await t.flagRows()).map(r => r.entity_ref)).toEqual([OTHER]);
      expect(t.titles()).toEqual(['ledger looks idle']);
    });

    it('takes the newest activity over every signal, a module signal included', async () => {
      const extra: ActivitySignal = {
        id: 'deployments',
        lastActivity: jest.fn(
          async (refs: string[]) =>
            new Map(
              refs
                .filter(r => r === OTHER)
                .map(r => [r, new Date(Date.now() + 40 * DAY_MS)]),
            ),
        ),
      };
      const t = await setup({ extra: [extra] });
      await t.register(APP);
      await t.register(OTHER);
      t.setNow(t.at(45));
      expect(await t.job.runOnce()).toEqual({ flagged: 1, cleared: 0 });
      // refs come back as they were given; the module signal saw them in lower case
      const found = await t.detector.lastActivity([
        'microapp:default/Ledger',
        APP,
        'microapp:default/unknown',
      ]);
      expect([...found.keys()]).toEqual(['microapp:default/Ledger', APP]);
      expect(found.get('microapp:default/Ledger')?.signal).toBe('deployments');
      expect(found.get(APP)).toEqual({
        at: t.T0.toISOString(),
        signal: 'catalog',
      });
      expect(extra.lastActivity).toHaveBeenLastCalledWith([
        OTHER,
        APP,
        'microapp:default/unknown',
      ]);
      expect(
        await t.detector.idleRefs(['microapp:default/Expense-Helper', OTHER]),
      ).toEqual(new Set(['microapp:default/Expense-Helper']));
    });

    it('sums usage per app and UTC day and keeps the newest time of the day', async () => {
      const t = await setup();
      await t.register();
      const ref = { namespace: 'default', name: 'Expense-Helper' };
      const day = t.at(-1).toISOString().slice(0, 10);
      const morning = `${day}T08:00:00.000Z`;
      const evening = `${day}T20:00:00+00:00`;
      expect(
        await t.usage.ingest(ref, { at: evening, count: 5 }, collector),
      ).toEqual({ entityRef: APP, day, count: 5 });
      // an older report of the same day adds to the count, not to the time
      expect(
        await t.usage.ingest(ref, { at: morning, count: 1_000_000 }, collector),
      ).toEqual({ entityRef: APP, day, count: 1_000_005 });
      expect((await t.usage.ingest(ref, {}, collector)).count).toBe(1);
      const rows = await t.knex('app_usage_days').orderBy('day');
      expect(rows.map(r => [r.day, Number(r.count)])).toEqual([
        [day, 1_000_005],
        [t.T0.toISOString().slice(0, 10), 1],
      ]);
      expect(new Date(rows[0].last_at).toISOString()).toBe(
        new Date(evening).toISOString(),
      );
      expect(await t.activity.usageActivity([APP])).toEqual(
        new Map([[APP, t.T0]]),
      );
      // no flag, so nothing audited
      expect(await t.audit('app.idle-cleared')).toEqual([]);
    });

    it('refuses users, unknown apps and bad reports, naming the field', async () => {
      const t = await setup();
      await t.register();
      const ref = { namespace: 'default', name: 'expense-helper' };
      await expect(
        t.usage.ingest(ref, {}, mockCredentials.user('user:default/olga')),
      ).rejects.toThrow(NotAllowedError);
      await expect(
        t.usage.ingest({ namespace: 'default', name: 'nope' }, {}, collector),
      ).rejects.toThrow(new NotFoundError("No app 'microapp:default/nope'"));
      const future = new Date(t.T0.getTime() + 6 * 60_000).toISOString();
      await expect(
        t.usage.ingest(ref, { at: future }, collector),
      ).rejects.toThrow(/^at must not lie in the future/);
      // within the 5 minutes of clock skew
      const soon = new Date(t.T0.getTime() + 4 * 60_000).toISOString();
      await expect(
        t.usage.ingest(ref, { at: soon }, collector),
      ).resolves.toEqual(expect.objectContaining({ count: 1 }));
      await expect(
        t.usage.ingest(ref, { at: 'yesterday' }, collector),
      ).rejects.toThrow(InputError);
      for (const count of [0, -1, 1.5, 1_000_001, '3' as any]) {
        await expect(t.usage.ingest(ref, { count }, collector)).rejects.toThrow(
          /^count must be a whole number from 1 to 1000000/,
        );
      }
      const [{ n }] = await t.knex('app_usage_days').count({ n: '*' });
      expect(Number(n)).toBe(1);
    });

    it('migrates app_activity down and up again', async () => {
      const t = await setup();
      await migrateDownThrough(t.knex, '20261217090000_app_activity.js');
      for (const table of [
        'app_usage_days',
        'app_catalog_activity',
        'app_idle_flags',
      ]) {
        expect(await t.knex.schema.hasTable(table)).toBe(false);
      }
      await t.knex.migrate.latest({
        directory: path.resolve(__dirname, '../../../migrations'),
      });
      expect(await t.knex.schema.hasTable('app_idle_flags')).toBe(true);
    });
  },
);
