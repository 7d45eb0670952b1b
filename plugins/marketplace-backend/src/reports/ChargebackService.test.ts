import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  MICRO_APP_API_VERSION,
  reportReadPermission,
} from '@microapps/plugin-marketplace-common';
import type { StoredCost } from '../database/DatabaseCostStore';
import { AccessGuard } from '../service/AccessGuard';
import { ChargebackService } from './ChargebackService';

const bea = mockCredentials.user('user:default/bea');

const app = (
  name: string,
  center: string,
  owner: string,
  monthlyForecast: number,
  tier?: string,
) => ({
  apiVersion: MICRO_APP_API_VERSION,
  kind: 'MicroApp',
  metadata: {
    namespace: 'default',
    name,
    title: name.toUpperCase(),
    ...(tier && { labels: { 'microapps.dev/tier': tier } }),
  },
  spec: { owner, cost: { center, monthlyForecast } },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

const cost = (
  name: string,
  amount: string,
  source = 'focus:a.csv',
  currency = 'EUR',
  month = '2026-11',
): StoredCost => ({
  entityRef: `microapp:default/${name}`,
  month,
  amount,
  currency,
  source,
  importedAt: '2026-12-01T00:00:00.000Z',
});

/** A catalog that answers `pageSize` entities per page, with a cursor to the next. */
function fakeCatalog(entities: object[], pageSize = 2) {
  const page = (offset: number) => ({
    items: entities.slice(offset, offset + pageSize),
    pageInfo: {
      ...(offset + pageSize < entities.length && {
        nextCursor: String(offset + pageSize),
      }),
    },
    totalItems: entities.length,
  });
  return {
    queryEntities: jest.fn(async (request: any) =>
      page(request.cursor ? Number(request.cursor) : 0),
    ),
  };
}

function setup(
  options: {
    entities?: object[];
    costs?: StoredCost[];
    centerCosts?: Array<{
      costCenter: string;
      amount: string;
      currency: string;
    }>;
    allow?: boolean;
  } = {},
) {
  const catalog = fakeCatalog(options.entities ?? []);
  const authorize = jest.fn(async () => [
    {
      result:
        options.allow === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    },
  ]);
  const getCosts = jest.fn(async (refs: string[], month?: string) =>
    (options.costs ?? []).filter(
      c => refs.includes(c.entityRef) && (!month || c.month === month),
    ),
  );
  const getCostCenterCosts = jest.fn(async () => options.centerCosts ?? []);
  const logger = mockServices.logger.mock();
  const service = new ChargebackService({
    catalog: catalog as unknown as CatalogService,
    auth: mockServices.auth(),
    guard: new AccessGuard({ authorize } as any),
    costs: { getCosts },
    ...(options.centerCosts && { getCostCenterCosts }),
    costCenters: [
      { id: 'CC-1', name: 'Platform' },
      { id: 'CC-2' },
      { id: 'CC-9', name: 'Shared' },
    ],
    currency: 'EUR',
    logger,
    now: () => new Date('2026-12-02T08:00:00.000Z'),
  });
  return { service, catalog, authorize, getCosts, getCostCenterCosts, logger };
}

describe('ChargebackService', () => {
  const entities = [
    app('a', 'CC-1', 'g1', 10, 'vetted'),
    app('b', 'CC-1', 'g2', 0.005),
    app('c', 'CC-2', 'g1', 1234.5, 'enterprise'),
  ];
  const costs = [
    cost('a', '7.005'),
    cost('a', '5', 'focus:b.csv'),
    cost('c', '1000.004'),
    // another currency: left out, with a warning
    cost('c', '99', 'focus:usd.csv', 'USD'),
    // another month
    cost('b', '50', 'focus:a.csv', 'EUR', '2026-10'),
  ];
  const centerCosts = [
    { costCenter: 'CC-1', amount: '0.5', currency: 'EUR' },
    { costCenter: 'CC-9', amount: '3.001', currency: 'EUR' },
  ];

  it('sums exactly and rounds to cents, half away from zero, only in the answer', async () => {
    const { service, authorize, logger } = setup({
      entities,
      costs,
      centerCosts,
    });
    const report = await service.build({ month: '2026-11' }, bea);
    expect(authorize).toHaveBeenCalledWith(
      [{ permission: reportReadPermission }],
      { credentials: bea },
    );
    expect(report).toEqual({
      month: '2026-11',
      currency: 'EUR',
      generatedAt: '2026-12-02T08:00:00.000Z',
      // biggest overspend first; a center with no app still shows its costs
      byCostCenter: [
        {
          key: 'CC-9',
          title: 'Shared',
          apps: 0,
          forecast: 0,
          actual: 3,
          variance: 3,
          unallocated: 3,
        },
        {
          key: 'CC-1',
          title: 'Platform',
          apps: 2,
          // 10 + 0.005 = 10.005 → 10.01
          forecast: 10.01,
          // 7.005 + 5 + 0 + 0.5 unallocated = 12.505 → 12.51
          actual: 12.51,
          variance: 2.5,
          // 2.5 / 10.005 = 24.9875 %
          variancePercent: 25,
          unallocated: 0.5,
        },
        {
          key: 'CC-2',
          apps: 1,
          forecast: 1234.5,
          actual: 1000,
          // 1000.004 − 1234.5 = −234.496
          variance: -234.5,
          variancePercent: -19,
        },
      ],
      byOwner: [
        {
          key: 'group:default/g2',
          apps: 1,
          forecast: 0.01,
          actual: 0,
          variance: -0.01,
          variancePercent: -100,
        },
        {
          key: 'group:default/g1',
          apps: 2,
          forecast: 1244.5,
          // 12.005 + 1000.004
          actual: 1012.01,
          // −232.491 / 1244.5 = −18.68 %
          variance: -232.49,
          variancePercent: -18.7,
        },
      ],
      apps: [
        {
          entityRef: 'microapp:default/a',
          title: 'A',
          owner: 'group:default/g1',
          costCenter: 'CC-1',
          tier: 'vetted',
          forecast: 10,
          actual: 12.01,
          // 2.005 → 2.01; 20.05 % → 20.1
          variance: 2.01,
          variancePercent: 20.1,
        },
        {
          entityRef: 'microapp:default/b',
          title: 'B',
          owner: 'group:default/g2',
          costCenter: 'CC-1',
          tier: 'discover',
          forecast: 0.01,
          actual: 0,
          variance: -0.01,
          variancePercent: -100,
        },
        {
          entityRef: 'microapp:default/c',
          title: 'C',
          owner: 'group:default/g1',
          costCenter: 'CC-2',
          tier: 'enterprise',
          forecast: 1234.5,
          actual: 1000,
          variance: -234.5,
          variancePercent: -19,
        },
      ],
      // sums of the exact amounts: forecast 1244.505, actual 1015.51, variance −228.995
      totals: {
        apps: 3,
        forecast: 1244.51,
        actual: 1015.51,
        variance: -229,
        variancePercent: -18.4,
      },
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Chargeback 2026-11: 1 cost total(s) not in EUR left out',
      { month: '2026-11', currencies: 'USD' },
    );
  });

  it('reads every page of the catalog with its own credentials', async () => {
    const many = Array.from({ length: 5 }, (_, i) =>
      app(`app-${i}`, 'CC-1', 'g1', 1),
    );
    const { service, catalog, getCosts } = setup({ entities: many });
    const report = await service.build({ month: '2026-11' }, bea);
    expect(report.totals.apps).toBe(5);
    expect(catalog.queryEntities).toHaveBeenCalledTimes(3);
    expect(catalog.queryEntities.mock.calls[0][0]).toMatchObject({
      filter: { kind: 'MicroApp' },
    });
    expect(catalog.queryEntities.mock.calls[1][0]).toMatchObject({
      cursor: '2',
    });
    for (const [, { credentials }] of catalog.queryEntities.mock
      .calls as any[]) {
      expect(credentials.principal).toEqual({
        type: 'service',
        subject: 'plugin:test',
      });
    }
    expect(getCosts.mock.calls[0][0]).toHaveLength(5);
  });

  it('names the newest month with costs when the month has none', async () => {
    const { service } = setup({ entities, costs });
    const report = await service.build({ month: '2026-12' }, bea);
    expect(report.latestMonth).toBe('2026-11');
    expect(report.totals).toEqual({
      apps: 3,
      forecast: 1244.51,
      actual: 0,
      variance: -1244.51,
      variancePercent: -100,
    });
    const full = await service.build({ month: '2026-11' }, bea);
    expect(full.latestMonth).toBeUndefined();
  });

  it('works without a source of cost center costs', async () => {
    const { service, getCostCenterCosts } = setup({ entities, costs });
    const report = await service.build({ month: '2026-11' }, bea);
    expect(report.byCostCenter.map(r => [r.key, r.actual])).toEqual([
      ['CC-1', 12.01],
      ['CC-2', 1000],
    ]);
    expect(report.totals.actual).toBe(1012.01);
    expect(getCostCenterCosts).not.toHaveBeenCalled();
  });

  it('refuses a caller without the report permission (DENY) before reading anything', async () => {
    const { service, catalog, getCosts } = setup({ entities, allow: false });
    await expect(
      service.build({ month: '2026-11' }, bea),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed: marketplace.report.read',
    });
    expect(catalog.queryEntities).not.toHaveBeenCalled();
    expect(getCosts).not.toHaveBeenCalled();
  });

  it.each([[undefined], [''], ['2026-13'], ['2026-1'], ['11/2026']])(
    'refuses the month %j with a 400 naming month',
    async month => {
      const { service, authorize } = setup({ entities });
      await expect(service.build({ month }, bea)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('month'),
      });
      expect(authorize).not.toHaveBeenCalled();
    },
  );
});
