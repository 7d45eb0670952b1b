import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CostProvider,
  marketplaceCostExtensionPoint,
} from '@microapps/plugin-marketplace-node';
import type { Knex } from 'knex';
import { marketplacePlugin } from '../plugin';

const acme: CostProvider = {
  id: 'acme',
  readCosts: async () => [
    {
      source: 'acme:2026-11',
      totals: [
        {
          entityRef: 'microapp:default/status-page',
          month: '2026-11',
          amount: '12.5',
          currency: 'EUR',
        },
      ],
      costCenterTotals: [
        {
          costCenter: 'CC-1000',
          month: '2026-11',
          amount: '3',
          currency: 'EUR',
        },
      ],
    },
  ],
};

const providerModule = (...providers: CostProvider[]) =>
  createBackendModule({
    pluginId: 'marketplace',
    moduleId: `cost-${providers.map(p => p.id).join('-')}`,
    register(reg) {
      reg.registerInit({
        deps: { costs: marketplaceCostExtensionPoint },
        async init({ costs }) {
          costs.addCostProvider(...providers);
        },
      });
    },
  });

describe('marketplaceCostExtensionPoint', () => {
  it('runs the providers modules add in the scheduled cost import', async () => {
    // the test backend's scheduler runs tasks when told to
    const scheduler = mockServices.scheduler() as any;
    let db: Knex | undefined;
    const backend = await startTestBackend({
      features: [
        marketplacePlugin,
        providerModule(acme),
        scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
        createBackendModule({
          pluginId: 'marketplace',
          moduleId: 'probe',
          register(reg) {
            reg.registerInit({
              deps: { database: coreServices.database },
              async init({ database }) {
                db = await database.getClient();
              },
            });
          },
        }),
      ],
    });
    expect(
      (await scheduler.getScheduledTasks()).map((t: any) => t.id),
    ).toContain('marketplace-cost-import');
    await scheduler.triggerTask('marketplace-cost-import');
    expect(
      (await db!('app_costs').select()).map(r => [
        r.entity_ref,
        r.source,
        Number(r.amount),
      ]),
    ).toEqual([['microapp:default/status-page', 'acme:2026-11', 12.5]]);
    expect(
      (await db!('cost_center_costs').select()).map(r => [
        r.cost_center,
        Number(r.amount),
      ]),
    ).toEqual([['CC-1000', 3]]);
    await backend.stop();
  });

  it('schedules no import without providers', async () => {
    // the test backend's scheduler runs tasks when told to
    const scheduler = mockServices.scheduler() as any;
    const backend = await startTestBackend({
      features: [
        marketplacePlugin,
        scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(
      (await scheduler.getScheduledTasks()).map((t: any) => t.id),
    ).not.toContain('marketplace-cost-import');
    await backend.stop();
  });

  it('refuses a second provider with the same id at startup', async () => {
    await expect(
      startTestBackend({
        features: [
          marketplacePlugin,
          providerModule(acme, { ...acme }),
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({ data: {} }),
        ],
      }),
    ).rejects.toThrow(
      "A cost provider with the id 'acme' is already registered",
    );
    await expect(
      startTestBackend({
        features: [
          marketplacePlugin,
          providerModule({ ...acme, id: 'focus' }),
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: { marketplace: { cost: { focus: { directory: '/tmp' } } } },
          }),
        ],
      }),
    ).rejects.toThrow(
      /'focus' is registered; it clashes with marketplace.cost.focus/,
    );
  });
});
