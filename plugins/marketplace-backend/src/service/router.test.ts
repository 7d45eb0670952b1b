import express from 'express';
import request from 'supertest';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import type { AuditService } from '../audit/AuditService';
import type { ApiBounds } from '../bounds/apiBounds';
import type { EvidenceService } from '../evidence/EvidenceService';
import type { UsageService } from '../lifecycle/idle/UsageService';
import type { ChargebackService } from '../reports/ChargebackService';
import type { MetricsIngestService } from '../support/MetricsIngestService';
import { createRouter } from './router';
import type { ExpiryService } from './lifecycle/ExpiryService';
import type { MarketplaceService } from './MarketplaceService';
import type { ExceptionService } from './workflow/ExceptionService';
import type { PromotionService } from './workflow/PromotionService';
import type { TierService } from './workflow/TierService';

const run: GateRun = {
  entityRef: 'microapp:default/a',
  evaluatedAt: '2026-11-28T10:00:00.000Z',
  tier: 'vetted',
  status: 'fail',
  inputHash: 'f'.repeat(64),
  results: [
    { gateId: 'sbom', status: 'fail', enforcement: 'block', findings: [] },
  ],
};

/** An authorization header of another plugin's service credentials. */
const asPlugin = (subject: string) =>
  mockCredentials.service.header({
    onBehalfOf: mockCredentials.service(subject),
    targetPluginId: 'marketplace',
  });

const catalog = asPlugin('plugin:catalog');
const scaffolder = asPlugin('plugin:scaffolder');
const samHeader = mockCredentials.user.header('user:default/sam');
const sam = mockCredentials.user('user:default/sam');

const APP = '/apps/default/a';
const P1 = '/promotions/p1';
const ref = { namespace: 'default', name: 'a' };
const grant = {
  gateId: 'vulnerabilities',
  findingId: 'CVE-2026-1234',
  reason: 'Not reachable from the app',
  expiresAt: '2026-12-31T00:00:00.000Z',
};
const demotion = { targetTier: 'discover', reason: 'Support lapsed' };
const promotion = { entityRef: run.entityRef, targetTier: 'vetted' };
const signoff = { stage: 'security', decision: 'approve', comment: 'Fine' };
const states = { entityRefs: [run.entityRef] };
const registration = {
  entityRef: run.entityRef,
  registeredBy: 'user:default/sam',
};

const apps: jest.Mocked<MarketplaceService> = {
  listApps: jest.fn(),
  getApp: jest.fn(),
  getGates: jest.fn(),
  recordGateRun: jest.fn(),
  registerApp: jest.fn(),
};
const promotions: jest.Mocked<
  Pick<
    PromotionService,
    'create' | 'get' | 'list' | 'signoff' | 'resubmit' | 'withdraw'
  >
> = {
  create: jest.fn(),
  get: jest.fn(),
  list: jest.fn(),
  signoff: jest.fn(),
  resubmit: jest.fn(),
  withdraw: jest.fn(),
};
const exceptions: jest.Mocked<Pick<ExceptionService, 'list' | 'grant'>> = {
  list: jest.fn(),
  grant: jest.fn(),
};
const tiers: jest.Mocked<Pick<TierService, 'demote' | 'getTierStates'>> = {
  demote: jest.fn(),
  getTierStates: jest.fn(),
};
const audit: jest.Mocked<Pick<AuditService, 'list' | 'verify'>> = {
  list: jest.fn(),
  verify: jest.fn(),
};
const evidence: jest.Mocked<Pick<EvidenceService, 'build'>> = {
  build: jest.fn(),
};
const expiry: jest.Mocked<Pick<ExpiryService, 'renew'>> = {
  renew: jest.fn(),
};
const reports: jest.Mocked<Pick<ChargebackService, 'build'>> = {
  build: jest.fn(),
};
const metrics: jest.Mocked<Pick<MetricsIngestService, 'ingest'>> = {
  ingest: jest.fn(),
};
const metricsBody = {
  samples: [{ at: '2026-11-02T10:00:00Z', up: true, requests: 9, errors: 1 }],
  incidents: [{ id: 'INC-1', openedAt: '2026-11-02T10:00:00Z' }],
};
const services = [
  metrics,
  apps,
  promotions,
  exceptions,
  tiers,
  audit,
  evidence,
  expiry,
  reports,
];
type Fn = jest.MockInstance<Promise<unknown>, any[]>;

/** The router with these body bounds (its defaults when left out), behind Backstage's error handler. */
async function createApp(bounds?: ApiBounds) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth({ pluginId: 'marketplace' }),
    apps,
    promotions: promotions as unknown as PromotionService,
    exceptions: exceptions as unknown as ExceptionService,
    tiers: tiers as unknown as TierService,
    audit: audit as unknown as AuditService,
    evidence: evidence as unknown as EvidenceService,
    expiry: expiry as unknown as ExpiryService,
    usage: {} as unknown as UsageService,
    reports: reports as unknown as ChargebackService,
    metrics: metrics as unknown as MetricsIngestService,
    bounds,
  });
  return express().use(router).use(mockErrorHandler());
}

describe('router', () => {
  let app: express.Express;

  beforeEach(async () => {
    jest.resetAllMocks();
    app = await createApp();
  });

  /** Sends `METHOD /url`; as sam, or as the catalog backend on the internal routes. */
  const call = (route: string, body?: object, auth?: string) => {
    const [method, url] = route.split(' ');
    const req = request(app)
      [method === 'POST' ? 'post' : 'get'](url)
      .set(
        'authorization',
        auth ?? (url.startsWith('/internal/') ? catalog : samHeader),
      );
    return body ? req.send(body) : req;
  };
  const expectNoServiceCalls = () => {
    for (const fn of services.flatMap(s => Object.values(s))) {
      expect(fn).not.toHaveBeenCalled();
    }
  };

  // rows leave out an unused body; rest parameters keep jest from taking it for `done`
  type Happy = [string, number, Fn, unknown[], object?];
  it.each<Happy>([
    [
      `GET /apps?tier=vetted&gateStatus=fail&classification=confidential&costCenter=CC-4711&owner=group%3Adefault%2Fa&q=pay&limit=5`,
      200,
      apps.listApps,
      [
        {
          tier: 'vetted',
          gateStatus: 'fail',
          classification: 'confidential',
          costCenter: 'CC-4711',
          owner: 'group:default/a',
          q: 'pay',
          limit: 5,
        },
        sam,
      ],
    ],
    [`GET ${APP}`, 200, apps.getApp, [ref, sam]],
    [`GET ${APP}/gates`, 200, apps.getGates, [ref, sam]],
    [`GET ${APP}/exceptions`, 200, exceptions.list, [ref, sam]],
    [`POST ${APP}/exceptions`, 201, exceptions.grant, [ref, grant, sam], grant],
    [`POST ${APP}/demotion`, 200, tiers.demote, [ref, demotion, sam], demotion],
    [`GET ${APP}/evidence`, 200, evidence.build, [ref, sam]],
    [`POST ${APP}/renew`, 200, expiry.renew, [ref, sam]],
    [
      `POST ${APP}/metrics`,
      200,
      metrics.ingest,
      [ref, metricsBody, sam],
      metricsBody,
    ],
    [
      `GET /apps?tier=expired`,
      200,
      apps.listApps,
      [{ tier: 'expired', limit: 50 }, sam],
    ],
    [
      `GET /promotions?status=rejected&stage=security&mine=true&entityRef=a&limit=9`,
      200,
      promotions.list,
      [
        {
          status: 'rejected',
          stage: 'security',
          mine: true,
          entityRef: 'a',
          limit: 9,
        },
        sam,
      ],
    ],
    ['POST /promotions', 201, promotions.create, [promotion, sam], promotion],
    [`GET ${P1}`, 200, promotions.get, ['p1', sam]],
    [
      `POST ${P1}/signoffs`,
      200,
      promotions.signoff,
      ['p1', signoff, sam],
      signoff,
    ],
    [
      `POST ${P1}/resubmit`,
      200,
      promotions.resubmit,
      ['p1', { comment: 'Fixed' }, sam],
      { comment: 'Fixed' },
    ],
    [`POST ${P1}/withdraw`, 200, promotions.withdraw, ['p1', {}, sam], {}],
    [
      `GET /audit?entityRef=a&afterSeq=3&limit=9`,
      200,
      audit.list,
      [{ entityRef: 'a', afterSeq: 3, limit: 9 }, sam],
    ],
    ['GET /audit/verify', 200, audit.verify, [sam]],
    [
      'GET /reports/chargeback?month=2026-11',
      200,
      reports.build,
      [{ month: '2026-11' }, sam],
    ],
    ['POST /internal/gate-runs', 200, apps.recordGateRun, [run], run],
    [
      'POST /internal/app-states',
      200,
      tiers.getTierStates,
      [states.entityRefs],
      states,
    ],
  ])(
    '%s answers %i and passes the input and the caller on',
    async (...[route, status, fn, args, body]: Happy) => {
      fn.mockResolvedValue([{ id: 'x' }]);
      const res = await call(route, body);
      expect(res.status).toBe(status);
      expect(fn).toHaveBeenCalledTimes(1);
      expect(fn).toHaveBeenCalledWith(...args);
      // every route answers what the service returned (app states as `items`)
      expect(JSON.stringify(res.body)).toContain('[{"id":"x"}]');
    },
  );

  type Bad = [string, string, object?];
  it.each<Bad>([
    ['tier', 'GET /apps?tier=gold'],
    ['limit', 'GET /apps?limit=0'],
    ['limit', 'GET /apps?limit=1000'],
    ['gateStatus', 'GET /apps?gateStatus=red'],
    ['classification', 'GET /apps?classification=secret'],
    ['costCenter', 'GET /apps?costCenter='],
    ['costCenter', `GET /apps?costCenter=${'C'.repeat(101)}`],
    ['colour', 'GET /apps?colour=red'],
    ['tier', 'GET /apps?tier=expiring'],
    ['force', `POST ${APP}/renew`, { force: true }],
    [
      'expiresAt',
      `POST ${APP}/exceptions`,
      { ...grant, expiresAt: 'tomorrow' },
    ],
    ['reason', `POST ${APP}/exceptions`, { ...grant, reason: undefined }],
    ['targetTier', `POST ${APP}/demotion`, { reason: 'x' }],
    ['targetTier', `POST ${APP}/demotion`, { ...demotion, targetTier: 'gold' }],
    ['status', 'GET /promotions?status=bogus'],
    ['mine', 'GET /promotions?mine=perhaps'],
    ['limit', 'GET /promotions?limit=0'],
    ['targetTier', 'POST /promotions', { entityRef: run.entityRef }],
    ['priority', 'POST /promotions', { ...promotion, priority: 'high' }],
    ['decision', `POST ${P1}/signoffs`, { ...signoff, decision: 'maybe' }],
    ['comment', `POST ${P1}/signoffs`, { ...signoff, comment: undefined }],
    ['note', `POST ${P1}/resubmit`, { note: 'x' }],
    ['reason', `POST ${P1}/withdraw`, { reason: 42 }],
    [
      'samples/0/at',
      `POST ${APP}/metrics`,
      { samples: [{ at: 'now', up: true }] },
    ],
    [
      "samples/0 must have required property 'up'",
      `POST ${APP}/metrics`,
      { samples: [{ at: '2026-11-02T10:00:00Z' }] },
    ],
    [
      "incidents/0 must have required property 'openedAt'",
      `POST ${APP}/metrics`,
      { incidents: [{ id: 'x' }] },
    ],
    [
      'incidents/0/id',
      `POST ${APP}/metrics`,
      { incidents: [{ id: '', openedAt: '2026-11-02T10:00:00Z' }] },
    ],
    ['samples', `POST ${APP}/metrics`, { samples: {} }],
    ['outages', `POST ${APP}/metrics`, { outages: [] }],
    ['afterSeq', 'GET /audit?afterSeq=-1'],
    ['limit', 'GET /audit?limit=1001'],
    ['month', 'GET /reports/chargeback'],
    ['month', 'GET /reports/chargeback?month=2026-13'],
    ['month', 'GET /reports/chargeback?month=November'],
    ['format', 'GET /reports/chargeback?month=2026-11&format=xlsx'],
    ['inputHash', 'POST /internal/gate-runs', { ...run, inputHash: 'nope' }],
    ['entityRefs', 'POST /internal/app-states', { entityRefs: 'x' }],
    ['entityRef', 'POST /internal/apps', {}],
    ['entityRef', 'POST /internal/apps', { entityRef: '' }],
    ['entityRef', 'POST /internal/apps', { entityRef: 42 }],
    [
      'registeredBy',
      'POST /internal/apps',
      { ...registration, registeredBy: 1 },
    ],
    ['tier', 'POST /internal/apps', { ...registration, tier: 'vetted' }],
  ])(
    'refuses a bad %s on %s with a 400 naming it',
    async (...[field, route, body]: Bad) => {
      const res = await call(route, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(field);
      expectNoServiceCalls();
    },
  );

  it.each([
    [
      403,
      `POST ${P1}/signoffs`,
      new NotAllowedError('Not a reviewer of security'),
    ],
    [
      409,
      `POST ${P1}/signoffs`,
      new ConflictError("Promotion 'p1' is approved"),
    ],
    [
      404,
      'GET /apps/default/x',
      new NotFoundError("No app 'microapp:default/x'"),
    ],
    [
      403,
      `POST ${APP}/renew`,
      new NotAllowedError(
        "Not allowed: marketplace.promotion.request on 'microapp:default/a'",
      ),
    ],
    [
      409,
      `POST ${APP}/renew`,
      new ConflictError(
        "'microapp:default/a' cannot be renewed: only Discover apps expire",
      ),
    ],
    [
      409,
      `POST ${APP}/renew`,
      new ConflictError(
        "'microapp:default/a' cannot be renewed: renewed on 2026-12-01; the next renewal opens on 2027-01-30",
      ),
    ],
    [
      404,
      'POST /apps/default/x/renew',
      new NotFoundError("No app 'microapp:default/x'"),
    ],
  ])('answers %i when %s meets a %s', async (status, route, error) => {
    promotions.signoff.mockRejectedValue(error);
    apps.getApp.mockRejectedValue(error);
    expiry.renew.mockRejectedValue(error);
    const res = await call(
      route,
      route.includes('/signoffs') ? signoff : undefined,
    );
    expect(res.status).toBe(status);
    expect(res.body.error.message).toBe(error.message);
  });

  describe.each([
    ['POST /internal/gate-runs', run],
    ['POST /internal/app-states', states],
  ])('%s', (route, body) => {
    it.each([
      ['a user', samHeader],
      ['a plugin other than the catalog', asPlugin('plugin:scaffolder')],
    ])('refuses %s (DENY)', async (_, auth) => {
      const res = await call(route, body, auth);
      expect(res.status).toBe(403);
      expectNoServiceCalls();
    });

    it('names the plugin that may call it', async () => {
      const res = await call(route, body, asPlugin('plugin:scaffolder'));
      expect(res.body.error.message).toBe('Only plugin:catalog may call this');
    });
  });

  describe('POST /internal/apps', () => {
    const registered = {
      entityRef: run.entityRef,
      tier: 'discover' as const,
      expiresAt: '2027-01-27T10:00:00.000Z',
    };

    it.each([
      ['the scaffolder', scaffolder, 'plugin:scaffolder'],
      ['the catalog', catalog, 'plugin:catalog'],
    ])(
      'registers an app for %s: 201 when new, 200 when it was registered before',
      async (_, auth, subject) => {
        apps.registerApp
          .mockResolvedValueOnce({ ...registered, created: true })
          .mockResolvedValueOnce({ ...registered, created: false });
        const first = await call('POST /internal/apps', registration, auth);
        expect(first.status).toBe(201);
        expect(first.body).toEqual({ ...registered, created: true });
        const again = await call('POST /internal/apps', registration, auth);
        expect(again.status).toBe(200);
        expect(again.body).toEqual({ ...registered, created: false });
        expect(apps.registerApp).toHaveBeenCalledTimes(2);
        expect(apps.registerApp).toHaveBeenCalledWith(
          registration,
          mockCredentials.service(subject),
        );
      },
    );

    it('takes the entity ref alone', async () => {
      apps.registerApp.mockResolvedValue({ ...registered, created: true });
      const res = await call(
        'POST /internal/apps',
        { entityRef: run.entityRef },
        scaffolder,
      );
      expect(res.status).toBe(201);
      expect(apps.registerApp).toHaveBeenCalledWith(
        { entityRef: run.entityRef },
        mockCredentials.service('plugin:scaffolder'),
      );
    });

    it('answers 400 when the service refuses the ref', async () => {
      apps.registerApp.mockRejectedValue(
        new InputError('entityRef must be the ref of a MicroApp'),
      );
      const res = await call(
        'POST /internal/apps',
        { entityRef: 'component:default/a' },
        scaffolder,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('entityRef');
    });

    it.each([
      ['a user', samHeader],
      ['another plugin', asPlugin('plugin:search')],
    ])('refuses %s (DENY)', async (_, auth) => {
      const res = await call('POST /internal/apps', registration, auth);
      expect(res.status).toBe(403);
      expectNoServiceCalls();
    });

    it('names the plugins that may call it', async () => {
      const res = await call(
        'POST /internal/apps',
        registration,
        asPlugin('plugin:search'),
      );
      expect(res.body.error.message).toBe(
        'Only plugin:scaffolder, plugin:catalog may call this',
      );
    });
  });

  type UserOnly = [string, object?];
  it.each<UserOnly>([
    ['GET /promotions'],
    ['POST /promotions', promotion],
    [`POST ${P1}/signoffs`, signoff],
    [`POST ${P1}/resubmit`, {}],
    [`POST ${P1}/withdraw`, {}],
    [`POST ${APP}/exceptions`, grant],
    [`POST ${APP}/demotion`, demotion],
    [`POST ${APP}/renew`],
  ])(
    '%s needs a user: 403 for a service principal',
    async (...[route, body]: UserOnly) => {
      const res = await call(route, body, catalog);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain("does not allow 'service'");
      expectNoServiceCalls();
    },
  );

  it('answers the chargeback report as a CSV download with format=csv', async () => {
    reports.build.mockResolvedValue({
      month: '2026-11',
      currency: 'EUR',
      generatedAt: '2026-12-01T00:00:00.000Z',
      byCostCenter: [],
      byOwner: [],
      apps: [],
      totals: { apps: 0, forecast: 0, actual: 0, variance: 0 },
    });
    const res = await call(
      'GET /reports/chargeback?month=2026-11&format=csv',
      undefined,
      catalog,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="chargeback-2026-11.csv"',
    );
    expect(res.text).toMatch(/^\uFEFFgroup,key,title,/);
    expect(reports.build).toHaveBeenCalledWith(
      { month: '2026-11' },
      mockCredentials.service('plugin:catalog'),
    );
  });

  it('serves the other reads to service principals too', async () => {
    apps.getApp.mockResolvedValue({} as any);
    const res = await call(`GET ${APP}`, undefined, catalog);
    expect(res.status).toBe(200);
    expect(apps.getApp).toHaveBeenCalledWith(
      ref,
      mockCredentials.service('plugin:catalog'),
    );
  });

  describe('bounds', () => {
    /** `body` as JSON padded with spaces to exactly `bytes` bytes. */
    const padded = (body: object, bytes: number) => {
      const json = JSON.stringify(body);
      return json + ' '.repeat(bytes - Buffer.byteLength(json));
    };
    const post = (target: express.Express, url: string, raw: string) =>
      request(target)
        .post(url)
        .set(
          'authorization',
          url.startsWith('/internal/') ? catalog : samHeader,
        )
        .set('content-type', 'application/json')
        .send(raw);
    /** `levels` arrays nested in each other. */
    const nested = (levels: number): unknown =>
      JSON.parse('['.repeat(levels) + ']'.repeat(levels));

    beforeEach(() => {
      for (const fn of services.flatMap(s => Object.values(s))) {
        (fn as Fn).mockResolvedValue({});
      }
    });

    it.each([
      [
        'POST /promotions',
        promotion,
        102400,
        201,
        'marketplace.api.maxBodyBytes',
      ],
      [
        `POST ${APP}/metrics`,
        metricsBody,
        5242880,
        200,
        'marketplace.api.metricsMaxBodyBytes',
      ],
      [
        'POST /internal/gate-runs',
        run,
        10485760,
        200,
        'marketplace.api.gateRunMaxBodyBytes',
      ],
    ])(
      '%s takes a body of the default limit and answers 413 one byte over',
      async (route, body, limit, status, key) => {
        const url = route.split(' ')[1];
        expect((await post(app, url, padded(body, limit))).status).toBe(status);
        const res = await post(app, url, padded(body, limit + 1));
        expect(res.status).toBe(413);
        expect(res.body.error).toMatchObject({
          name: 'PayloadTooLargeError',
          message: `request body of ${
            limit + 1
          } bytes is over the limit of ${limit} bytes (${key})`,
        });
      },
    );

    it('applies configured limits: metrics and gate runs their own, the others theirs', async () => {
      const bounded = await createApp({
        maxBodyBytes: 2048,
        metricsMaxBodyBytes: 4096,
        gateRunMaxBodyBytes: 3072,
        maxJsonDepth: 5,
      });
      expect(
        (await post(bounded, '/promotions', padded(promotion, 2048))).status,
      ).toBe(201);
      const over = await post(bounded, '/promotions', padded(promotion, 2049));
      expect(over.status).toBe(413);
      expect(over.body.error.message).toBe(
        'request body of 2049 bytes is over the limit of 2048 bytes (marketplace.api.maxBodyBytes)',
      );
      const metricsUrl = `${APP}/metrics`;
      expect(
        (await post(bounded, metricsUrl, padded(metricsBody, 4096))).status,
      ).toBe(200);
      const overMetrics = await post(
        bounded,
        metricsUrl,
        padded(metricsBody, 4097),
      );
      expect(overMetrics.status).toBe(413);
      expect(overMetrics.body.error.message).toContain(
        'over the limit of 4096 bytes (marketplace.api.metricsMaxBodyBytes)',
      );
      expect(
        (await post(bounded, '/internal/gate-runs', padded(run, 3072))).status,
      ).toBe(200);
      const overRun = await post(
        bounded,
        '/internal/gate-runs',
        padded(run, 3073),
      );
      expect(overRun.status).toBe(413);
      expect(overRun.body.error.message).toContain(
        'over the limit of 3072 bytes (marketplace.api.gateRunMaxBodyBytes)',
      );
      expect(apps.recordGateRun).toHaveBeenCalledTimes(1);
      expect(metrics.ingest).toHaveBeenCalledTimes(1);
      expect(promotions.create).toHaveBeenCalledTimes(1);
    });

    it('still answers malformed JSON with a 400 InputError', async () => {
      const res = await post(app, '/promotions', '{"entityRef":');
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expectNoServiceCalls();
    });

    it('answers 413 to a chunked body over the limit', async () => {
      const req = request(app)
        .post('/promotions')
        .set('authorization', samHeader)
        .set('content-type', 'application/json');
      for (let i = 0; i < 11; i++) req.write(' '.repeat(10_000));
      req.write(JSON.stringify(promotion));
      const res = await req;
      expect(res.status).toBe(413);
      expect(res.body.error.message).toBe(
        'request body of more than 102400 bytes is over the limit of 102400 bytes (marketplace.api.maxBodyBytes)',
      );
      expectNoServiceCalls();
    });

    it('takes a gate run as deep as maxJsonDepth and refuses one level more naming where', async () => {
      const bounded = await createApp({
        maxBodyBytes: 102400,
        metricsMaxBodyBytes: 102400,
        gateRunMaxBodyBytes: 102400,
        maxJsonDepth: 5,
      });
      // run, results, result, findings, finding: 5 levels
      const deep = {
        ...run,
        results: [
          {
            ...run.results[0],
            findings: [{ id: 'f', severity: 'low', message: 'm' }],
          },
        ],
      };
      const ok = await post(
        bounded,
        '/internal/gate-runs',
        JSON.stringify(deep),
      );
      expect(ok.status).toBe(200);
      expect(apps.recordGateRun).toHaveBeenCalledWith(deep);
      const tooDeep = structuredClone(deep) as any;
      tooDeep.results[0].findings[0].message = {};
      const res = await post(
        bounded,
        '/internal/gate-runs',
        JSON.stringify(tooDeep),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'request/body/results/0/findings/0/message is nested 6 levels deep, over the limit of 5 (marketplace.api.maxJsonDepth)',
      );
      expect(apps.recordGateRun).toHaveBeenCalledTimes(1);
    });

    it('leaves a body of the default depth, 16, to the schema and refuses 17', async () => {
      const at = await call('POST /promotions', {
        ...promotion,
        comment: nested(15),
      });
      expect(at.status).toBe(400);
      expect(at.body.error.message).toContain('comment must be string');
      const over = await call('POST /promotions', {
        ...promotion,
        comment: nested(16),
      });
      expect(over.status).toBe(400);
      expect(over.body.error.message).toBe(
        `request/body/comment${'/0'.repeat(
          15,
        )} is nested 17 levels deep, over the limit of 16 (marketplace.api.maxJsonDepth)`,
      );
      expectNoServiceCalls();
    });

    const text = (n: number) => 'x'.repeat(n);
    const dateOf = (n: number) => `2026-12-31T00:00:00.${'0'.repeat(n - 21)}Z`;
    type Bound = [string, string, number, (n: number) => object, Fn];
    it.each<Bound>([
      [
        'entityRefs',
        'POST /internal/app-states',
        1000,
        n => ({ entityRefs: Array(n).fill(run.entityRef) }),
        tiers.getTierStates,
      ],
      [
        'entityRefs/0',
        'POST /internal/app-states',
        255,
        n => ({ entityRefs: [text(n)] }),
        tiers.getTierStates,
      ],
      [
        'entityRef',
        'POST /internal/apps',
        255,
        n => ({ entityRef: text(n) }),
        apps.registerApp,
      ],
      [
        'results',
        'POST /internal/gate-runs',
        1000,
        n => ({ ...run, results: Array(n).fill(run.results[0]) }),
        apps.recordGateRun,
      ],
      [
        'evaluatedAt',
        'POST /internal/gate-runs',
        64,
        n => ({ ...run, evaluatedAt: dateOf(n) }),
        apps.recordGateRun,
      ],
      [
        'comment',
        'POST /promotions',
        4000,
        n => ({ ...promotion, comment: text(n) }),
        promotions.create,
      ],
      [
        'comment',
        `POST ${P1}/signoffs`,
        4000,
        n => ({ ...signoff, comment: text(n) }),
        promotions.signoff,
      ],
      [
        'comment',
        `POST ${P1}/resubmit`,
        4000,
        n => ({ comment: text(n) }),
        promotions.resubmit,
      ],
      [
        'reason',
        `POST ${P1}/withdraw`,
        4000,
        n => ({ reason: text(n) }),
        promotions.withdraw,
      ],
      [
        'reason',
        `POST ${APP}/demotion`,
        4000,
        n => ({ ...demotion, reason: text(n) }),
        tiers.demote,
      ],
      [
        'reason',
        `POST ${APP}/exceptions`,
        4000,
        n => ({ ...grant, reason: text(n) }),
        exceptions.grant,
      ],
      [
        'expiresAt',
        `POST ${APP}/exceptions`,
        64,
        n => ({ ...grant, expiresAt: dateOf(n) }),
        exceptions.grant,
      ],
      [
        'samples',
        `POST ${APP}/metrics`,
        10000,
        n => ({ samples: Array(n).fill(metricsBody.samples[0]) }),
        metrics.ingest,
      ],
      [
        'samples/0/at',
        `POST ${APP}/metrics`,
        64,
        n => ({ samples: [{ at: dateOf(n), up: true }] }),
        metrics.ingest,
      ],
      [
        'incidents',
        `POST ${APP}/metrics`,
        1000,
        n => ({
          incidents: Array.from({ length: n }, (_, i) => ({
            id: `INC-${i}`,
            openedAt: '2026-11-02T10:00:00Z',
          })),
        }),
        metrics.ingest,
      ],
    ])(
      'takes %s of %s at its limit, %i, and refuses one more with a 400 naming it',
      async (field, route, limit, bodyOf, fn) => {
        const at = await call(route, bodyOf(limit));
        expect(at.status).toBeLessThan(300);
        expect(fn).toHaveBeenCalledTimes(1);
        const over = await call(route, bodyOf(limit + 1));
        expect(over.status).toBe(400);
        expect(over.body.error.message).toMatch(
          new RegExp(
            `${field} must NOT have more than ${limit} (items|characters)`,
          ),
        );
        expect(fn).toHaveBeenCalledTimes(1);
      },
    );
  });
});
