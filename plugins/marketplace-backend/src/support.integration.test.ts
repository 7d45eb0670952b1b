import request from 'supertest';
import type { Knex } from 'knex';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  DEFAULT_SLA_RESPONSE_MINUTES,
  MetricsIngestRequest,
} from '@microapps/plugin-marketplace-common';
import {
  marketplaceSupportExtensionPoint,
  SupportMetricsProvider,
} from '@microapps/plugin-marketplace-node';
import {
  databaseProbe,
  startMarketplaceBackend,
  staticTokenAuth,
  testDatabaseIds,
  waitFor,
} from './__testUtils__/testBackend';
import { DatabaseMetricsStore } from './support/DatabaseMetricsStore';
import { SlaFigures } from './support/SlaFigures';

// Support and SLA through the real HTTP route: metrics posted by a service, stored in the
// marketplace's database, and the month's figures computed from them.
jest.setTimeout(300_000);

const RELAY = 'microapp:default/mail-relay-monitor';
const METRICS = '/api/marketplace/apps/default/mail-relay-monitor/metrics';
/** Service credentials of a monitoring service, as the mock auth service reads them. */
const asService = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'marketplace',
  });
const MONITOR = asService('uptime-monitor');
const DAY_MS = 24 * 60 * 60 * 1000;

/** Adds `providers` through the marketplace's support extension point. */
const supportProviders = (providers: SupportMetricsProvider[]) =>
  createBackendModule({
    pluginId: 'marketplace',
    moduleId: 'test-support-providers',
    register(reg) {
      reg.registerInit({
        deps: { support: marketplaceSupportExtensionPoint },
        async init({ support }) {
          support.addMetricsProvider(...providers);
        },
      });
    },
  });

const waitForRelay = (server: any, authorization: string) =>
  waitFor('mail-relay-monitor in the catalog', async () => {
    const res = await request(server)
      .get('/api/catalog/entities/by-name/microapp/default/mail-relay-monitor')
      .set('authorization', authorization);
    return res.status === 200 ? res.body : undefined;
  });

describe.each(testDatabaseIds)('support and SLA on %s', databaseId => {
  let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
  let server: any;
  let db: Knex;
  const scheduler = mockServices.scheduler() as any;
  const pulls: Array<{ entityRefs: string[]; since: Date }> = [];
  const pagerMetrics: Array<{ entityRef: string } & MetricsIngestRequest> = [];
  const fakePager: SupportMetricsProvider = {
    id: 'fake-pager',
    async readMetrics(req) {
      pulls.push(req);
      return pagerMetrics;
    },
  };

  beforeAll(async () => {
    backend = await startMarketplaceBackend({
      databaseId,
      locations: [],
      features: [
        scheduler.factory(),
        databaseProbe(client => {
          db = client;
        }),
        supportProviders([fakePager]),
      ],
    });
    server = backend.server;
    await waitForRelay(server, mockCredentials.user.header());
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const post = (body: unknown, authorization = MONITOR) =>
    request(server)
      .post(METRICS)
      .set('authorization', authorization)
      .send(body as object);
  const figuresAt = async (now: Date) => {
    // the app's SLA tier, as the catalog has it
    const entity = await waitForRelay(server, mockCredentials.user.header());
    const figures = new SlaFigures({
      store: new DatabaseMetricsStore(db),
      slaTargets: { ...DEFAULT_SLA_RESPONSE_MINUTES },
    });
    const all = await figures.summaries(
      [{ entityRef: RELAY, slaTier: entity.spec.support.slaTier }],
      now,
    );
    return all.get(RELAY)!;
  };
  const count = async (table: string, where: object = {}) =>
    Number(
      (await db(table).where(where).count({ n: '*' }))[0].n as string | number,
    );

  it('computes MTTA and MTTR of a scripted incident history and flags the breach of S1', async () => {
    // mail-relay-monitor has slaTier S1: respond within 60 minutes.
    // November 2026, opened → acknowledged → resolved (minutes after opening):
    //   A  03rd 08:00 → 08:12 (12)          → 09:30 (90)
    //   B  10th 14:00 → 15:25 (85: breach)  → 18:00 (240)
    //   C  20th 23:50 → 21st 00:20 (30), not resolved
    //   D  28th 10:00, no response: 120 minutes old at 12:00 (breach)
    //   E  31 Oct 23:30 → 1 Nov 03:00: opened in October, not counted
    //   F  15th 06:00, resolved 06:20 (20) without an acknowledgement: in time
    // Each update comes in a later post, as a monitoring service sends them.
    const first = await post({
      samples: [
        // 4 samples, 3 up: 75 %; 2 errors in 400 requests: 0.5 %
        { at: '2026-11-03T08:00:00Z', up: false, requests: 100, errors: 2 },
        { at: '2026-11-03T08:05:00Z', up: true, requests: 100 },
        { at: '2026-11-03T08:10:00Z', up: true, requests: 200, errors: 0 },
        { at: '2026-11-28T09:55:00Z', up: true },
      ],
      incidents: [
        {
          id: 'A',
          title: 'Relay rejects mail',
          openedAt: '2026-11-03T08:00:00Z',
        },
        { id: 'E', openedAt: '2026-10-31T23:30:00Z' },
      ],
    });
    expect([first.status, first.body]).toEqual([
      200,
      { samples: 4, incidents: 2 },
    ]);
    const second = await post({
      incidents: [
        {
          id: 'A',
          openedAt: '2026-11-03T08:00:00Z',
          acknowledgedAt: '2026-11-03T08:12:00Z',
        },
        { id: 'B', openedAt: '2026-11-10T14:00:00Z' },
        {
          id: 'E',
          openedAt: '2026-10-31T23:30:00Z',
          acknowledgedAt: '2026-11-01T03:00:00Z',
        },
        {
          id: 'F',
          openedAt: '2026-11-15T06:00:00Z',
          resolvedAt: '2026-11-15T06:20:00Z',
        },
      ],
    });
    expect(second.body).toEqual({ samples: 0, incidents: 4 });
    const third = await post({
      incidents: [
        {
          id: 'A',
          openedAt: '2026-11-03T08:00:00Z',
          resolvedAt: '2026-11-03T09:30:00Z',
        },
        {
          id: 'B',
          openedAt: '2026-11-10T14:00:00Z',
          acknowledgedAt: '2026-11-10T15:25:00Z',
          resolvedAt: '2026-11-10T18:00:00Z',
        },
        {
          id: 'C',
          openedAt: '2026-11-20T23:50:00Z',
          acknowledgedAt: '2026-11-21T00:20:00Z',
        },
        { id: 'D', title: 'Queue stuck', openedAt: '2026-11-28T10:00:00Z' },
      ],
    });
    expect(third.body).toEqual({ samples: 0, incidents: 4 });

    expect(await figuresAt(new Date('2026-11-28T12:00:00Z'))).toEqual({
      month: '2026-11',
      slaTier: 'S1',
      responseTargetMinutes: 60,
      uptimePercent: 75,
      errorRatePercent: 0.5,
      // A, B, C, D, F
      incidents: 5,
      // acknowledged A 12, B 85, C 30: 127 / 3 = 42.333… → 42.3
      mttaMinutes: 42.3,
      // resolved A 90, B 240, F 20: 350 / 3 = 116.666… → 116.7
      mttrMinutes: 116.7,
      breaches: [
        { incidentId: 'B', minutesToAcknowledge: 85 },
        { incidentId: 'D', minutesToAcknowledge: null },
      ],
      state: 'breached',
      // D opened at 10:00, the newest time reported
      lastReportedAt: '2026-11-28T10:00:00.000Z',
    });
    // at 10:30 D is 30 minutes old: in time still
    expect(
      (await figuresAt(new Date('2026-11-28T10:30:00Z'))).breaches,
    ).toEqual([{ incidentId: 'B', minutesToAcknowledge: 85 }]);
    // October has E alone: acknowledged after 210 minutes
    expect(await figuresAt(new Date('2026-10-31T23:59:00Z'))).toMatchObject({
      month: '2026-10',
      incidents: 1,
      mttaMinutes: 210,
      breaches: [{ incidentId: 'E', minutesToAcknowledge: 210 }],
      state: 'breached',
    });
    // the caller's subject is the source; titles sent once stay
    const a = await db('app_incidents').where({ incident_id: 'A' }).first();
    expect([a.source, a.title, a.entity_ref]).toEqual([
      'uptime-monitor',
      'Relay rejects mail',
      RELAY,
    ]);
  });

  it('refuses users (403), requests without a token (401) and unknown apps (404), storing nothing', async () => {
    const body = { samples: [{ at: '2026-11-20T10:00:00Z', up: true }] };
    const before = await count('app_metric_samples');
    const user = await post(
      body,
      mockCredentials.user.header('user:default/ada'),
    );
    expect(user.status).toBe(403);
    expect(user.body.error.message).toBe(
      'Metrics are posted by services, not users: call with a backend plugin token or a static token of backend.auth.externalAccess',
    );
    // the test backend takes a request without a header for a default user: send the mock's
    // none-token (the static-token test below sends no header to the real auth service)
    expect((await post(body, mockCredentials.none.header())).status).toBe(401);
    const unknown = await request(server)
      .post('/api/marketplace/apps/default/no-such-app/metrics')
      .set('authorization', MONITOR)
      .send(body);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      "No app 'microapp:default/no-such-app'",
    );
    expect(await count('app_metric_samples')).toBe(before);
  });

  // rows leave out an unused `before`; rest parameters keep jest from taking it for `done`
  type Bad = [string, unknown, string, object?];
  it.each<Bad>([
    [
      'an acknowledgement before the opening',
      {
        samples: [{ at: '2026-11-21T10:00:00Z', up: true }],
        incidents: [
          { id: 'X1', openedAt: '2026-11-21T10:00:00Z' },
          { id: 'X2', openedAt: '2026-11-21T10:00:00Z' },
          {
            id: 'X3',
            openedAt: '2026-11-21T10:00:00Z',
            acknowledgedAt: '2026-11-21T09:00:00Z',
          },
        ],
      },
      'incidents[2].acknowledgedAt is before openedAt',
    ],
    [
      'an opening after the stored acknowledgement',
      {
        samples: [{ at: '2026-11-21T10:00:00Z', up: true }],
        incidents: [
          { id: 'Y1', openedAt: '2026-11-21T10:00:00Z' },
          // reopened later, but acknowledged at 10:05 before
          { id: 'Y2', openedAt: '2026-11-21T10:10:00Z' },
        ],
      },
      "incidents[1].acknowledgedAt is before openedAt (with what was stored before for incident 'Y2')",
      {
        incidents: [
          {
            id: 'Y2',
            openedAt: '2026-11-21T10:00:00Z',
            acknowledgedAt: '2026-11-21T10:05:00Z',
          },
        ],
      },
    ],
    [
      'a time that is no ISO 8601 time',
      { samples: [{ at: '21.11.2026 10:00', up: true }] },
      'samples/0/at',
    ],
    [
      'a date that does not exist',
      { samples: [{ at: '2026-02-30T10:00:00Z', up: true }] },
      'samples[0].at must be an ISO 8601 time',
    ],
    [
      'errors without requests',
      { samples: [{ at: '2026-11-21T10:00:00Z', up: true, errors: 3 }] },
      'samples[0].errors needs samples[0].requests',
    ],
    [
      'an incident without id',
      { incidents: [{ openedAt: '2026-11-21T10:00:00Z' }] },
      'id',
    ],
    ['an unknown property', { outages: [] }, "'outages'"],
  ])(
    'refuses %s with a 400 naming the field, storing nothing',
    async (...[, body, message, before]: Bad) => {
      // a row may store something first that its body then contradicts
      const setup = before && (await post(before));
      expect(setup ? setup.status : 200).toBe(200);
      const samples = await count('app_metric_samples');
      const incidents = await db('app_incidents').orderBy('incident_id');
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(await count('app_metric_samples')).toBe(samples);
      expect(await db('app_incidents').orderBy('incident_id')).toEqual(
        incidents,
      );
    },
  );

  it('takes 10,000 samples in one request and refuses 10,001', async () => {
    const start = Date.parse('2026-09-01T00:00:00Z');
    const samples = Array.from({ length: 10_001 }, (_, i) => ({
      at: new Date(start + i * 60_000).toISOString(),
      up: i % 100 !== 0,
      requests: 1000,
      errors: i % 10,
    }));
    const tooMany = await post({ samples });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('samples');
    // about 900 kB: more than express.json's default limit
    const res = await post({ samples: samples.slice(1) });
    expect([res.status, res.body]).toEqual([
      200,
      { samples: 10_000, incidents: 0 },
    ]);
    expect(
      await count('app_metric_samples', { source: 'uptime-monitor' }),
    ).toBeGreaterThanOrEqual(10_000);
    // September: 10,000 samples, 100 down (every 100th from the second on); errors 0..9
    // in turn over 1,000 requests each: 45,000 / 10,000,000 = 0.45 %
    const september = await figuresAt(new Date('2026-09-30T12:00:00Z'));
    expect(september).toMatchObject({
      month: '2026-09',
      uptimePercent: 99,
      errorRatePercent: 0.45,
      state: 'met',
    });
  });

  it('pulls the metrics providers on schedule, from 30 days back first, then since the last pull', async () => {
    const now = Date.now();
    pagerMetrics.push(
      {
        entityRef: 'MicroApp:default/Mail-Relay-Monitor',
        samples: [{ at: new Date(now - 60_000).toISOString(), up: true }],
        incidents: [
          { id: 'PD-1', openedAt: new Date(now - 3_600_000).toISOString() },
        ],
      },
      // not a MicroApp of this catalog: skipped
      { entityRef: 'microapp:default/elsewhere', samples: [] },
    );
    await scheduler.triggerTask('marketplace-metrics-pull');
    expect(pulls).toHaveLength(1);
    expect(pulls[0].entityRefs).toEqual(
      expect.arrayContaining([RELAY, 'microapp:default/status-page']),
    );
    expect(pulls[0].entityRefs.every(r => r.startsWith('microapp:'))).toBe(
      true,
    );
    expect(Math.abs(now - 30 * DAY_MS - pulls[0].since.getTime())).toBeLessThan(
      60_000,
    );
    expect(
      await db('app_incidents')
        .where({ source: 'fake-pager' })
        .select('entity_ref', 'incident_id'),
    ).toEqual([{ entity_ref: RELAY, incident_id: 'PD-1' }]);
    expect(await count('app_metric_samples', { source: 'fake-pager' })).toBe(1);
    const [stored] = await db('app_metrics_pulls').where({
      provider_id: 'fake-pager',
    });

    await scheduler.triggerTask('marketplace-metrics-pull');
    expect(pulls).toHaveLength(2);
    expect(pulls[1].since).toEqual(new Date(stored.last_success_at));
    // the same metrics again change nothing
    expect(await count('app_incidents', { source: 'fake-pager' })).toBe(1);
  });
});

describe.each(testDatabaseIds)(
  'metrics posted with a static token of backend.auth.externalAccess on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
    let db: Knex;
    const TOKEN = 'uptime-monitor-token-0123456789';

    beforeAll(async () => {
      backend = await startMarketplaceBackend({
        databaseId,
        locations: [],
        config: { backend: staticTokenAuth(TOKEN, 'uptime-monitor') },
        // the real auth services: plugin-to-plugin tokens and static tokens as in production
        features: [
          authServiceFactory,
          httpAuthServiceFactory,
          databaseProbe(client => {
            db = client;
          }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('stores metrics with the token’s subject as the source, and refuses a wrong token', async () => {
      const body = {
        samples: [{ at: '2026-11-20T10:00:00Z', up: true }],
        incidents: [{ id: 'SM-1', openedAt: '2026-11-20T10:00:00Z' }],
      };
      const wrong = await request(backend.server)
        .post(METRICS)
        .set('authorization', 'Bearer not-the-token-at-all')
        .send(body);
      expect(wrong.status).toBe(401);
      const none = await request(backend.server).post(METRICS).send(body);
      expect(none.status).toBe(401);
      const res = await waitFor('the app in the catalog', async () => {
        const r = await request(backend.server)
          .post(METRICS)
          .set('authorization', `Bearer ${TOKEN}`)
          .send(body);
        // 404 until the catalog has read the examples
        return r.status === 404 ? undefined : r;
      });
      expect([res.status, res.body]).toEqual([
        200,
        { samples: 1, incidents: 1 },
      ]);
      expect(await db('app_incidents').select('source', 'entity_ref')).toEqual([
        { source: 'uptime-monitor', entity_ref: RELAY },
      ]);
    });
  },
);
