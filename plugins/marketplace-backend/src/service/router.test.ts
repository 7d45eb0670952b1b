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

describe('router', () => {
  let app: express.Express;

  beforeEach(async () => {
    jest.resetAllMocks();
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
    });
    app = express().use(router).use(mockErrorHandler());
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
});
