import request from 'supertest';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { marketplacePlugin } from './plugin';

// The bounds keys from config to the routes, through the real plugin.

/** Starts the plugin alone with this `marketplace` config. */
const start = (
  marketplace: object,
  features: Parameters<typeof startTestBackend>[0]['features'] = [],
) =>
  startTestBackend({
    features: [
      marketplacePlugin,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: { marketplace } }),
      ...features,
    ],
  });

const catalog = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:catalog'),
  targetPluginId: 'marketplace',
});

/** `body` as JSON padded with spaces to exactly `bytes` bytes. */
const padded = (body: object, bytes: number) => {
  const json = JSON.stringify(body);
  return json + ' '.repeat(bytes - Buffer.byteLength(json));
};

describe('marketplace backend bounds', () => {
  it.each([
    [{ api: { maxBodyBytes: 512 } }, 'marketplace.api.maxBodyBytes'],
    [
      { api: { metricsMaxBodyBytes: '5mb' } },
      'marketplace.api.metricsMaxBodyBytes',
    ],
    [{ api: { maxJsonDepth: 2 } }, 'marketplace.api.maxJsonDepth'],
    [
      { cost: { focus: { limits: { maxFileBytes: -1 } } } },
      'marketplace.cost.focus.limits.maxFileBytes',
    ],
    [
      { cost: { focus: { limits: { maxRows: 0.5 } } } },
      'marketplace.cost.focus.limits.maxRows',
    ],
    [
      { cost: { focus: { limits: { maxRecordBytes: 0 } } } },
      'marketplace.cost.focus.limits.maxRecordBytes',
    ],
    [
      { cost: { focus: { limits: { timeout: 'forever' } } } },
      'marketplace.cost.focus.limits.timeout',
    ],
  ])('refuses to start with %j, naming %s', async (marketplace, key) => {
    await expect(start(marketplace)).rejects.toThrow(`${key} must be`);
  });

  it('bounds the routes by marketplace.api', async () => {
    const backend = await start({
      api: { maxBodyBytes: 2048, metricsMaxBodyBytes: 4096, maxJsonDepth: 5 },
      cost: { focus: { directory: '/tmp', limits: { maxRows: 10 } } },
    });
    try {
      const post = (url: string, raw: string) =>
        request(backend.server)
          .post(`/api/marketplace${url}`)
          .set('authorization', catalog)
          .set('content-type', 'application/json')
          .send(raw);
      const states = { entityRefs: ['microapp:default/a'] };

      const at = await post('/internal/app-states', padded(states, 2048));
      expect(at.status).toBe(200);
      expect(at.body.items).toEqual([
        expect.objectContaining({ entityRef: 'microapp:default/a' }),
      ]);
      const over = await post('/internal/app-states', padded(states, 2049));
      expect(over.status).toBe(413);
      expect(over.body.error.message).toBe(
        'request body of 2049 bytes is over the limit of 2048 bytes (marketplace.api.maxBodyBytes)',
      );

      // past the bound, the catalog does not know the app
      const metrics = { samples: [{ at: '2026-11-02T10:00:00Z', up: true }] };
      const metricsAt = await post(
        '/apps/default/a/metrics',
        padded(metrics, 4096),
      );
      expect(metricsAt.status).toBe(404);
      const metricsOver = await post(
        '/apps/default/a/metrics',
        padded(metrics, 4097),
      );
      expect(metricsOver.status).toBe(413);
      expect(metricsOver.body.error.message).toContain(
        '(marketplace.api.metricsMaxBodyBytes)',
      );

      const deep = await post(
        '/internal/app-states',
        JSON.stringify({ entityRefs: [[[[[]]]]] }),
      );
      expect(deep.status).toBe(400);
      expect(deep.body.error.message).toBe(
        'request/body/entityRefs/0/0/0/0 is nested 6 levels deep, over the limit of 5 (marketplace.api.maxJsonDepth)',
      );
    } finally {
      await backend.stop();
    }
  });

  it('bounds the FOCUS import by marketplace.cost.focus.limits', async () => {
    const dir = createMockDirectory();
    const header = 'BilledCost,BillingCurrency,ChargePeriodStart,Tags';
    const rowOf = (cost: string) =>
      `${cost},EUR,2026-11-01T00:00:00Z,"{""x_microapp"":""a""}"`;
    dir.setContent({
      'at.csv': [header, rowOf('1'), rowOf('2')].join('\n'),
      'over.csv': [header, rowOf('1'), rowOf('2'), rowOf('3')].join('\n'),
    });
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    const backend = await start(
      { cost: { focus: { directory: dir.path, limits: { maxRows: 2 } } } },
      [scheduler.factory, logger.factory],
    );
    try {
      const task = scheduler.scheduleTask.mock.calls.find(
        ([t]) => t.id === 'marketplace-cost-import',
      )![0];
      await task.fn(new AbortController().signal);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(/^Cost import of at.csv: 2 rows, 2 allocated/),
        expect.anything(),
      );
      expect(logger.error).toHaveBeenCalledWith(
        'Cost import of over.csv refused, the costs stored from focus:over.csv are kept: 3 rows read: over the limit of 2 rows (marketplace.cost.focus.limits.maxRows)',
      );
    } finally {
      await backend.stop();
    }
  });
});
