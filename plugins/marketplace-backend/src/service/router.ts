import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import { createOpenApiRouter } from '../schema/openapi/generated';
import type { MarketplaceService } from './MarketplaceService';

/** Only the catalog backend evaluates gates; nobody else may write their results. */
const GATE_RUN_WRITERS = ['plugin:catalog'];

/**
 * The HTTP API. The OpenAPI router validates every request against openapi.yaml (400 naming
 * the field); each handler reads credentials, makes one service call and answers.
 *
 * @internal
 */
export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: MarketplaceService;
}) {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter();

  router.get('/apps', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await service.listApps(req.query, credentials));
  });

  router.get('/apps/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await service.getApp(req.params, credentials));
  });

  router.get('/apps/:namespace/:name/gates', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await service.getGates(req.params, credentials));
  });

  router.post('/internal/gate-runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!GATE_RUN_WRITERS.includes(credentials.principal.subject)) {
      throw new NotAllowedError(
        `Only ${GATE_RUN_WRITERS.join(', ')} may record gate runs`,
      );
    }
    res.json(await service.recordGateRun(req.body as GateRun));
  });

  return router;
}
