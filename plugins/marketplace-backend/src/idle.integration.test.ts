import request from 'supertest';
import type { Knex } from 'knex';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  databaseProbe,
  mockNotifications,
  startMarketplaceBackend,
  staticTokenAuth,
  testDatabaseIds,
  waitFor,
} from './__testUtils__/testBackend';

// Usage ingestion and idle detection through the real HTTP routes, with the real catalog
// reading the repository's examples.
jest.setTimeout(240_000);

const DAY_MS = 86_400_000;
const APP = 'microapp:default/status-page';
const USAGE = '/api/marketplace/apps/default/status-page/usage';

/** An authorization header of service credentials with this subject. */
const asService = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'marketplace',
  });

/** Waits until the catalog has the example app and its first gate run is stored. */
const appReady = (server: any, authorization: string) =>
  waitFor('status-page evaluated', async () => {
    const res = await request(server)
      .get('/api/marketplace/apps/default/status-page/gates')
      .set('authorization', authorization);
    return res.status === 200 && res.body.status !== 'pending'
      ? true
      : undefined;
  });

describe.each(testDatabaseIds)('usage and idle detection on %s', databaseId => {
  let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
  let server: any;
  let db: Knex;
  const send = jest.fn(async (_: unknown) => {});
  // the test backend's scheduler runs tasks when told to
  const scheduler = mockServices.scheduler() as any;
  const admin = mockCredentials.user.header('user:default/ada');

  beforeAll(async () => {
    backend = await startMarketplaceBackend({
      databaseId,
      locations: [],
      config: {
        marketplace: { lifecycle: { idleAfterDays: 30 } },
      },
      features: [
        scheduler.factory(),
        mockNotifications(send),
        // the marketplace's own database, to age the app's history
        databaseProbe(client => {
          db = client;
        }),
      ],
    });
    server = backend.server;
    await appReady(server, admin);
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const post = (authorization: string | undefined, body?: unknown) => {
    const req = request(server).post(USAGE);
    if (authorization) req.set('authorization', authorization);
    return body === undefined ? req : req.send(body as object);
  };
  const auditActions = async () => {
    const res = await request(server)
      .get(`/api/marketplace/audit?entityRef=${encodeURIComponent(APP)}`)
      .set('authorization', admin);
    expect(res.status).toBe(200);
    return (res.body.items as any[])
      .filter(e => e.action.startsWith('app.idle'))
      .map(e => [e.action, e.actor]);
  };

  it('takes usage from other plugins and external access tokens and answers the day total', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const first = await post(asService('plugin:usage-collector'), {
      count: 3,
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ entityRef: APP, day, count: 3 });
    // no body at all: one use, now
    const second = await post(asService('external:web-analytics'));
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ entityRef: APP, day, count: 4 });
    const yesterday = new Date(Date.now() - DAY_MS).toISOString();
    const older = await post(asService('external:web-analytics'), {
      at: yesterday,
      count: 1_000_000,
    });
    expect(older.body).toEqual({
      entityRef: APP,
      day: yesterday.slice(0, 10),
      count: 1_000_000,
    });
  });

  it('refuses users (403), missing credentials (401) and unknown apps (404)', async () => {
    const user = await post(
      mockCredentials.user.header('user:default/ada'),
      {},
    );
    expect(user.status).toBe(403);
    expect(user.body.error.name).toBe('NotAllowedError');
    const none = await post(mockCredentials.none.header(), {});
    expect(none.status).toBe(401);
    const unknown = await request(server)
      .post('/api/marketplace/apps/default/no-such-app/usage')
      .set('authorization', asService('plugin:usage-collector'))
      .send({});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain(
      "No app 'microapp:default/no-such-app'",
    );
  });

  it.each([
    [{ count: 0 }, /^request\/body\/count must be >= 1/],
    [{ count: 1.5 }, /^request\/body\/count must be integer/],
    [{ count: 1_000_001 }, /^request\/body\/count must be <= 1000000/],
    [{ count: '2' }, /^request\/body\/count must be integer/],
    [{ at: 'yesterday' }, /^request\/body\/at must match format "date-time"/],
    [{ at: '2999-01-01T00:00:00Z' }, /^at must not lie in the future/],
    [{ when: '2026-01-01T00:00:00Z' }, /unknown property 'when'/],
  ])('refuses the body %j with a 400 naming the field', async (body, field) => {
    const res = await post(asService('plugin:usage-collector'), body);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(field);
  });

  it('flags an app quiet for 40 days once, tells its owners, and clears the flag on usage', async () => {
    // the app's history, 40 days old: first sighting, gate runs, and no usage
    const old = new Date(Date.now() - 40 * DAY_MS);
    await db('app_usage_days').where({ entity_ref: APP }).delete();
    await db('apps')
      .where({ entity_ref: APP })
      .update({ first_seen_at: old, registered_at: null });
    await db('gate_runs')
      .where({ entity_ref: APP })
      .update({ created_at: old });

    await scheduler.triggerTask('marketplace-idle-detection');
    await scheduler.triggerTask('marketplace-idle-detection');
    const notices = send.mock.calls
      .map(c => (c[0] as any).payload)
      .filter(p => p.title === 'Status Page looks idle');
    expect(notices).toHaveLength(1);
    expect(notices[0].link).toBe(
      '/catalog/default/microapp/status-page/governance',
    );
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: [APP] },
      }),
    );
    expect(await auditActions()).toEqual([
      ['app.idle-flagged', 'plugin:marketplace'],
    ]);

    expect((await post(asService('external:web-analytics'), {})).status).toBe(
      200,
    );
    expect(await auditActions()).toEqual([
      ['app.idle-flagged', 'plugin:marketplace'],
      ['app.idle-cleared', 'external:web-analytics'],
    ]);
    await scheduler.triggerTask('marketplace-idle-detection');
    expect(await auditActions()).toHaveLength(2);
    const verify = await request(server)
      .get('/api/marketplace/audit/verify')
      .set('authorization', admin);
    expect(verify.body.ok).toBe(true);
  });
});

// The real auth service: a static token of backend.auth.externalAccess is a service caller.
describe.each(testDatabaseIds)(
  'usage with a static external access token on %s',
  databaseId => {
    const TOKEN = 'usage-collector-token-0123456789abcdef';
    let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
    let server: any;

    beforeAll(async () => {
      backend = await startMarketplaceBackend({
        databaseId,
        locations: [],
        config: { backend: staticTokenAuth(TOKEN, 'usage-collector') },
        features: [authServiceFactory, httpAuthServiceFactory],
      });
      server = backend.server;
      await appReady(server, `Bearer ${TOKEN}`);
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('stores usage posted with the static token and refuses a wrong one', async () => {
      const ok = await request(server)
        .post(USAGE)
        .set('authorization', `Bearer ${TOKEN}`)
        .send({ count: 2 });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ entityRef: APP, count: 2 });
      const wrong = await request(server)
        .post(USAGE)
        .set('authorization', 'Bearer not-the-token-0123456789abcdef')
        .send({ count: 2 });
      expect(wrong.status).toBe(401);
      const none = await request(server).post(USAGE).send({});
      expect(none.status).toBe(401);
    });
  },
);
