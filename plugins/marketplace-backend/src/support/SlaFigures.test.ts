import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  AppSlaFigures,
  DEFAULT_SLA_RESPONSE_MINUTES,
} from '@microapps/plugin-marketplace-common';
import {
  createTestStore,
  migrateDownThrough,
} from '../__testUtils__/testStore';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { SlaFigures } from './SlaFigures';
import { validateMetrics } from './validateMetrics';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const NOW = new Date('2026-11-28T12:00:00Z');
const RELAY = 'microapp:default/mail-relay-monitor';
const STATUS = 'microapp:default/status-page';
const batch = (body: object) =>
  validateMetrics(body, { now: NOW, bounded: true });

describe.each(databases.eachSupportedId())(
  'metrics store and SLA figures on %s',
  databaseId => {
    async function setup() {
      const { knex } = await createTestStore(databases, databaseId);
      const store = new DatabaseMetricsStore(knex);
      const figures = new SlaFigures({
        store,
        slaTargets: { ...DEFAULT_SLA_RESPONSE_MINUTES },
      });
      return { knex, store, figures };
    }

    it('upserts samples by time and merges incidents over posts, per source', async () => {
      const { knex, store } = await setup();
      await store.store(
        'MicroApp:default/Mail-Relay-Monitor',
        'uptime-probe',
        batch({
          samples: [
            { at: '2026-11-28T10:00:00Z', up: true, requests: 10, errors: 0 },
            { at: '2026-11-28T10:01:00Z', up: true },
          ],
          incidents: [
            {
              id: 'INC-1',
              title: 'Relay down',
              openedAt: '2026-11-28T10:00:00Z',
            },
          ],
        }),
        NOW,
      );
      // a later post: the sample of 10:00 changes, INC-1 is acknowledged without a title
      expect(
        await store.store(
          RELAY,
          'uptime-probe',
          batch({
            samples: [{ at: '2026-11-28T10:00:00.000Z', up: false }],
            incidents: [
              {
                id: 'INC-1',
                openedAt: '2026-11-28T10:00:00Z',
                acknowledgedAt: '2026-11-28T10:20:00Z',
              },
            ],
          }),
          NOW,
        ),
      ).toEqual({ samples: 1, incidents: 1 });
      // another source has its own INC-1
      await store.store(
        RELAY,
        'pagerduty',
        batch({
          incidents: [{ id: 'INC-1', openedAt: '2026-11-27T10:00:00Z' }],
        }),
        NOW,
      );

      const samples = await knex('app_metric_samples').orderBy('at');
      expect(samples.map(s => [Boolean(s.up), s.requests])).toEqual([
        [false, null],
        [true, null],
      ]);
      expect(samples.every(s => s.entity_ref === RELAY)).toBe(true);
      const incidents = await knex('app_incidents').orderBy('source');
      expect(
        incidents.map(i => ({
          source: i.source,
          title: i.title,
          acknowledged:
            i.acknowledged_at && new Date(i.acknowledged_at).toISOString(),
        })),
      ).toEqual([
        { source: 'pagerduty', title: null, acknowledged: null },
        {
          source: 'uptime-probe',
          title: 'Relay down',
          acknowledged: '2026-11-28T10:20:00.000Z',
        },
      ]);
    });

    it('stores nothing of a batch whose incident would then be acknowledged before it opened', async () => {
      const { knex, store } = await setup();
      await store.store(
        RELAY,
        'probe',
        batch({
          incidents: [
            {
              id: 'INC-1',
              openedAt: '2026-11-28T10:00:00Z',
              acknowledgedAt: '2026-11-28T10:05:00Z',
            },
          ],
        }),
        NOW,
      );
      await expect(
        store.store(
          RELAY,
          'probe',
          batch({
            samples: [{ at: '2026-11-28T11:00:00Z', up: true }],
            incidents: [
              { id: 'INC-0', openedAt: '2026-11-28T09:00:00Z' },
              // reopened later than the stored acknowledgement
              { id: 'INC-1', openedAt: '2026-11-28T10:10:00Z' },
            ],
          }),
          NOW,
        ),
      ).rejects.toThrow(
        "incidents[1].acknowledgedAt is before openedAt (with what was stored before for incident 'INC-1')",
      );
      expect(await knex('app_metric_samples')).toEqual([]);
      const incidents = await knex('app_incidents');
      expect(incidents.map(i => i.incident_id)).toEqual(['INC-1']);
      expect(new Date(incidents[0].opened_at).toISOString()).toBe(
        '2026-11-28T10:00:00.000Z',
      );
    });

    it('computes the month of many apps in a few queries, with lastReportedAt over every month', async () => {
      const { knex, store, figures } = await setup();
      await store.store(
        RELAY,
        'probe',
        batch({
          samples: [
            // October: not this month's, but reported
            {
              at: '2026-10-31T23:59:59Z',
              up: false,
              requests: 100,
              errors: 100,
            },
            { at: '2026-11-01T00:00:00Z', up: true, requests: 4, errors: 1 },
            { at: '2026-11-10T00:00:00Z', up: false, requests: 3 },
            { at: '2026-11-20T00:00:00Z', up: true },
          ],
          incidents: [
            // acknowledged after 85 minutes: an S1 breach
            {
              id: 'B',
              openedAt: '2026-11-10T14:00:00Z',
              acknowledgedAt: '2026-11-10T15:25:00Z',
              resolvedAt: '2026-11-10T18:00:00Z',
            },
          ],
        }),
        NOW,
      );
      // a second source adds samples to the same month: uptime counts them all
      await store.store(
        RELAY,
        'other',
        batch({ samples: [{ at: '2026-11-20T00:00:00Z', up: true }] }),
        NOW,
      );
      // an app of the 600th place, so the refs span two chunks
      await store.store(
        STATUS,
        'probe',
        batch({
          incidents: [
            {
              id: 'S',
              openedAt: '2026-10-02T10:00:00Z',
              resolvedAt: '2026-10-02T11:00:00Z',
            },
          ],
        }),
        NOW,
      );
      const apps = [
        { entityRef: 'MicroApp:default/Mail-Relay-Monitor', slaTier: 'S1' },
        ...Array.from({ length: 598 }, (_, i) => ({
          entityRef: `microapp:default/app-${i}`,
        })),
        { entityRef: STATUS, slaTier: 'S2' },
      ];
      const queries: string[] = [];
      const count = (q: { sql: string }) => queries.push(q.sql);
      knex.on('query', count);
      const result = await figures.summaries(apps, NOW);
      knex.removeListener('query', count);
      // four statements per chunk of 500 refs, none per app
      expect(queries).toHaveLength(8);

      expect(result.size).toBe(600);
      expect(result.get(RELAY)).toEqual<AppSlaFigures>({
        month: '2026-11',
        slaTier: 'S1',
        responseTargetMinutes: 60,
        // 4 November samples over two sources, 3 up: 75 %
        uptimePercent: 75,
        // 1 error in 7 requests: 14.286 %
        errorRatePercent: 14.286,
        incidents: 1,
        mttaMinutes: 85,
        mttrMinutes: 240,
        breaches: [{ incidentId: 'B', minutesToAcknowledge: 85 }],
        state: 'breached',
        lastReportedAt: '2026-11-20T00:00:00.000Z',
      });
      expect(result.get(STATUS)).toEqual({
        month: '2026-11',
        slaTier: 'S2',
        responseTargetMinutes: 240,
        incidents: 0,
        breaches: [],
        state: 'no-data',
        // the newest time of its only incident: its resolution
        lastReportedAt: '2026-10-02T11:00:00.000Z',
      });
      expect(result.get('microapp:default/app-7')).toEqual({
        month: '2026-11',
        incidents: 0,
        breaches: [],
        state: 'no-data',
      });
    });

    it('flags Enterprise listings without runbook, roster or recent metrics', async () => {
      const { figures } = await setup();
      const sla = (lastReportedAt?: string): AppSlaFigures => ({
        month: '2026-11',
        incidents: 0,
        breaches: [],
        state: 'no-data',
        ...(lastReportedAt && { lastReportedAt }),
      });
      const complete = { runbook: 'https://wiki/x', roster: 'group:default/x' };
      expect(
        figures.flags(
          { tier: 'enterprise', support: complete },
          sla('2026-10-29T12:00:00Z'),
          NOW,
        ),
      ).toEqual([]);
      // 30 days and a second ago
      expect(
        figures.flags(
          { tier: 'enterprise', support: complete },
          sla('2026-10-29T11:59:59Z'),
          NOW,
        ),
      ).toEqual(['no-recent-metrics']);
      expect(
        figures.flags(
          { tier: 'enterprise', support: { runbook: ' ' } },
          sla(),
          NOW,
        ),
      ).toEqual(['no-runbook', 'no-roster', 'no-recent-metrics']);
      for (const tier of ['discover', 'vetted', 'expired']) {
        expect(figures.flags({ tier, support: {} }, sla(), NOW)).toEqual([]);
      }
    });

    it('remembers the last successful pull per provider', async () => {
      const { store } = await setup();
      expect(await store.lastPull('pagerduty')).toBeUndefined();
      await store.recordPull('pagerduty', new Date('2026-11-28T10:00:00Z'));
      await store.recordPull('pagerduty', new Date('2026-11-28T10:15:00Z'));
      await store.recordPull('prometheus', new Date('2026-11-28T09:00:00Z'));
      expect(await store.lastPull('pagerduty')).toEqual(
        new Date('2026-11-28T10:15:00Z'),
      );
    });

    it('migrates down and up again', async () => {
      const { knex } = await setup();
      await migrateDownThrough(knex, '20261216090000_app_metrics.js');
      for (const table of [
        'app_metric_samples',
        'app_incidents',
        'app_metrics_pulls',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      await knex.migrate.latest({
        directory: path.resolve(__dirname, '../../migrations'),
      });
      const store = new DatabaseMetricsStore(knex);
      await store.recordPull('x', NOW);
      expect(await store.lastPull('x')).toEqual(NOW);
    });
  },
);
