import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import type { AuditService } from '../audit/AuditService';
import type { EvidenceService } from '../evidence/EvidenceService';
import { chargebackCsv } from '../reports/chargebackCsv';
import type { ChargebackService } from '../reports/ChargebackService';
import {
  API_BOUND_KEYS,
  type ApiBounds,
  DEFAULT_API_BOUNDS,
} from '../bounds/apiBounds';
import { boundedJsonParser } from '../bounds/boundedJsonParser';
import { routeBodyParser } from '../bounds/routeBodyParser';
import express from 'express';
import { createOpenApiRouter, spec } from '../schema/openapi/generated';
import { rejectUnknownProperties } from '../schema/rejectUnknownProperties';
import type { MetricsIngestService } from '../support/MetricsIngestService';
import type { UsageService } from '../lifecycle/idle/UsageService';
import type { ExpiryService } from './lifecycle/ExpiryService';
import type { MarketplaceService } from './MarketplaceService';
import type { ExceptionService } from './workflow/ExceptionService';
import type { PromotionService } from './workflow/PromotionService';
import type { TierService } from './workflow/TierService';

/** Only the catalog backend evaluates gates; nobody else may write their results. */
const CATALOG = ['plugin:catalog'];
const METRICS_ROUTE = /^\/apps\/[^/]+\/[^/]+\/metrics$/;
const GATE_RUNS_ROUTE = /^\/internal\/gate-runs$/;
/** Apps are registered by the scaffolder (what it created) or the catalog. */
const REGISTRARS = ['plugin:scaffolder', 'plugin:catalog'];

/** The services behind the routes. */
export interface RouterServices {
  apps: MarketplaceService;
  promotions: PromotionService;
  exceptions: ExceptionService;
  tiers: TierService;
  audit: AuditService;
  evidence: EvidenceService;
  expiry: ExpiryService;
  usage: UsageService;
  metrics: MetricsIngestService;
  reports: ChargebackService;
}

/**
 * The HTTP API. A JSON body is bounded first (`bounds`: its size, a 413, and its depth, a
 * 400); the OpenAPI router then validates every request against openapi.yaml (400 naming
 * the field); each handler reads credentials, makes one service call and answers. The
 * services authorize: permissions and separation of duties are checked there.
 *
 * @internal
 */
export async function createRouter(
  options: {
    httpAuth: HttpAuthService;
    /** Body size and depth limits (`marketplace.api`). Default: `DEFAULT_API_BOUNDS`. */
    bounds?: ApiBounds;
  } & RouterServices,
) {
  const {
    httpAuth,
    apps,
    promotions,
    exceptions,
    tiers,
    audit,
    evidence,
    expiry,
    usage,
    metrics,
    reports,
    bounds = DEFAULT_API_BOUNDS,
  } = options;
  const router = await createOpenApiRouter({
    middleware: [rejectUnknownProperties(spec)],
  });
  // Bodies are read before the OpenAPI router, whose error middleware would turn a 413 into
  // a 400. Metrics and gate runs may be bigger than other bodies: their parsers go first.
  const depth = {
    limit: bounds.maxJsonDepth,
    key: API_BOUND_KEYS.maxJsonDepth,
  };
  const bodyLimit = (key: keyof ApiBounds) => ({
    limit: bounds[key],
    key: API_BOUND_KEYS[key],
  });
  const bounded = express.Router();
  bounded.use(
    routeBodyParser({
      route: METRICS_ROUTE,
      maxBytes: bodyLimit('metricsMaxBodyBytes'),
      maxDepth: depth,
    }),
    routeBodyParser({
      route: GATE_RUNS_ROUTE,
      maxBytes: bodyLimit('gateRunMaxBodyBytes'),
      maxDepth: depth,
    }),
    boundedJsonParser({
      maxBytes: bodyLimit('maxBodyBytes'),
      maxDepth: depth,
    }),
    router,
  );
  const caller = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: Parameters<HttpAuthService['credentials']>[0]) =>
    httpAuth.credentials(req, { allow: ['user'] });
  /** Service credentials of one of `plugins`; users and other plugins get a 403. */
  const pluginsOnly = async (
    req: Parameters<HttpAuthService['credentials']>[0],
    plugins: string[],
  ) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!plugins.includes(credentials.principal.subject)) {
      throw new NotAllowedError(`Only ${plugins.join(', ')} may call this`);
    }
    return credentials;
  };

  router.get('/apps', async (req, res) => {
    res.json(await apps.listApps(req.query, await caller(req)));
  });
  router.get('/apps/:namespace/:name', async (req, res) => {
    res.json(await apps.getApp(req.params, await caller(req)));
  });
  router.get('/apps/:namespace/:name/gates', async (req, res) => {
    res.json(await apps.getGates(req.params, await caller(req)));
  });
  router.get('/apps/:namespace/:name/exceptions', async (req, res) => {
    res.json(await exceptions.list(req.params, await caller(req)));
  });
  router.post('/apps/:namespace/:name/exceptions', async (req, res) => {
    res
      .status(201)
      .json(await exceptions.grant(req.params, req.body, await user(req)));
  });
  router.post('/apps/:namespace/:name/demotion', async (req, res) => {
    res.json(await tiers.demote(req.params, req.body, await user(req)));
  });
  router.post('/apps/:namespace/:name/renew', async (req, res) => {
    res.json(await expiry.renew(req.params, await user(req)));
  });
  router.get('/apps/:namespace/:name/evidence', async (req, res) => {
    res.json(await evidence.build(req.params, await caller(req)));
  });
  // services only (the service says so to a user); the caller's subject is the source
  router.post('/apps/:namespace/:name/metrics', async (req, res) => {
    res.json(await metrics.ingest(req.params, req.body, await caller(req)));
  });

  // services only (a user token is a 403): other plugins and external access tokens
  router.post('/apps/:namespace/:name/usage', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    res.json(await usage.ingest(req.params, req.body ?? {}, credentials));
  });

  router.get('/promotions', async (req, res) => {
    res.json(await promotions.list(req.query, await user(req)));
  });
  router.post('/promotions', async (req, res) => {
    res.status(201).json(await promotions.create(req.body, await user(req)));
  });
  router.get('/promotions/:id', async (req, res) => {
    res.json(await promotions.get(req.params.id, await caller(req)));
  });
  router.post('/promotions/:id/signoffs', async (req, res) => {
    res.json(
      await promotions.signoff(req.params.id, req.body, await user(req)),
    );
  });
  router.post('/promotions/:id/resubmit', async (req, res) => {
    res.json(
      await promotions.resubmit(req.params.id, req.body, await user(req)),
    );
  });
  router.post('/promotions/:id/withdraw', async (req, res) => {
    res.json(
      await promotions.withdraw(req.params.id, req.body, await user(req)),
    );
  });

  router.get('/audit', async (req, res) => {
    res.json(await audit.list(req.query, await caller(req)));
  });
  router.get('/audit/verify', async (req, res) => {
    res.json(await audit.verify(await caller(req)));
  });

  router.get('/reports/chargeback', async (req, res) => {
    const { month, format } = req.query;
    const report = await reports.build({ month }, await caller(req));
    if (format !== 'csv') {
      res.json(report);
      return;
    }
    const csv = chargebackCsv(report);
    // the spec's typed send takes JSON only; a CSV goes out as it is
    res
      .set({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="chargeback-${report.month}.csv"`,
        'content-length': String(Buffer.byteLength(csv)),
      })
      .end(csv);
  });

  router.post('/internal/gate-runs', async (req, res) => {
    await pluginsOnly(req, CATALOG);
    res.json(await apps.recordGateRun(req.body as GateRun));
  });
  router.post('/internal/app-states', async (req, res) => {
    await pluginsOnly(req, CATALOG);
    res.json({ items: await tiers.getTierStates(req.body.entityRefs) });
  });
  router.post('/internal/apps', async (req, res) => {
    const credentials = await pluginsOnly(req, REGISTRARS);
    const registration = await apps.registerApp(req.body, credentials);
    res.status(registration.created ? 201 : 200).json(registration);
  });

  return bounded;
}
