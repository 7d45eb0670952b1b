import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml, stringify } from 'yaml';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { mockCredentials } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleMarketplacePolicy from '@microapps/plugin-permission-backend-module-marketplace';
import {
  as,
  databaseProbe,
  demoMarketplaceConfig,
  httpAuthWithActors,
  REPO,
  startMarketplaceBackend,
  testDatabaseIds,
  waitFor,
} from './__testUtils__/testBackend';
import { DatabaseCostStore } from './database/DatabaseCostStore';

// The chargeback report through the real HTTP route, with the real catalog (the repository's
// example apps plus three of the test's), the real permission backend and our policy, and
// costs in the real cost store.
jest.setTimeout(300_000);

/** The test's apps, made from the status-page example; all other apps have no costs. */
function writeApps(dir: string) {
  const source = path.join(REPO, 'examples/microapps/status-page');
  const base = parseYaml(
    fs.readFileSync(path.join(source, 'catalog-info.yaml'), 'utf8'),
  );
  const app = (
    name: string,
    title: string,
    owner: string,
    center: string,
    monthlyForecast: number,
  ) => {
    const copy = structuredClone(base);
    copy.metadata.name = name;
    copy.metadata.title = title;
    copy.spec.owner = owner;
    copy.spec.cost = { center, monthlyForecast };
    return copy;
  };
  fs.copyFileSync(
    path.join(source, 'sbom.spdx.json'),
    path.join(dir, 'sbom.spdx.json'),
  );
  fs.writeFileSync(
    path.join(dir, 'catalog-info.yaml'),
    [
      app(
        'ledger-big',
        'Ledger Big',
        'group:default/report-team',
        'CC-7700',
        1000,
      ),
      app('tiny-app', 'Tiny App', 'group:default/other-team', 'CC-7700', 0.005),
      // a title that a spreadsheet would run as a formula
      app('saver-app', '=SUM(1,2)', 'group:default/other-team', 'CC-7701', 50),
    ]
      .map(e => stringify(e))
      .join('---\n'),
  );
}

/** The forecasts of the repository's example apps (examples/microapps), none with costs. */
const EXAMPLES = [
  ['CC-1000', 'group:default/platform-team', 134], // 120 + 8 + 6
  ['CC-2200', 'group:default/research-apps', 15],
  ['CC-3100', 'group:default/procurement-apps', 60],
  ['CC-4711', 'group:default/finance-apps', 44], // 40 + 4
  ['CC-5100', 'group:default/hr-apps', 10],
  ['CC-6000', 'group:default/sales-ops', 5],
] as const;
const EXAMPLE_APPS = 9;

describe.each(testDatabaseIds)('chargeback report on %s', databaseId => {
  let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
  let server: any;
  let tmp: string;
  let db: Knex;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'marketplace-report-'));
    writeApps(tmp);
    backend = await startMarketplaceBackend({
      databaseId,
      locations: [path.join(tmp, 'catalog-info.yaml')],
      config: {
        permission: { enabled: true },
        marketplace: {
          // no cost import from the demo's folder: the test writes its own costs
          cost: {
            currency: 'EUR',
            centers: [
              ...demoMarketplaceConfig().cost.centers,
              { id: 'CC-7700', name: 'Report tests' },
              'CC-7701',
            ],
          },
        },
      },
      features: [
        httpAuthWithActors,
        permissionPlugin,
        permissionModuleMarketplacePolicy,
        databaseProbe(client => {
          db = client;
        }),
      ],
    });
    server = backend.server;
    const costs = new DatabaseCostStore(db);
    const total = (name: string, amount: string, month = '2026-11') => ({
      entityRef: `microapp:default/${name}`,
      month,
      amount,
      currency: 'EUR',
    });
    const unallocated = (costCenter: string, amount: string) => ({
      costCenter,
      month: '2026-11',
      amount,
      currency: 'EUR',
    });
    await costs.replaceCosts(
      'focus:a.csv',
      [
        total('ledger-big', '1200.5'),
        total('tiny-app', '0.005'),
        total('saver-app', '37.5'),
        total('saver-app', '999', '2026-10'),
      ],
      new Date(),
      // charged to a cost center but to no app: one of the test's, and one without apps
      [unallocated('CC-7700', '0.005'), unallocated('CC-7800', '10')],
    );
    await costs.replaceCosts('focus:b.csv', [total('ledger-big', '34.065')]);
    // an app the catalog does not know: not in the report
    await costs.replaceCosts('focus:c.csv', [total('gone-app', '5')]);
    // wait until the catalog has the test's apps
    await waitFor('the test apps in the report', async () => {
      const res = await report('ada', '2026-11');
      return res.body.apps?.length === EXAMPLE_APPS + 3 ? true : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function report(user: string | undefined, month?: string, format?: string) {
    const query = new URLSearchParams({
      ...(month !== undefined && { month }),
      ...(format && { format }),
    });
    const req = request(server).get(
      `/api/marketplace/reports/chargeback?${query}`,
    );
    return user ? req.set('authorization', as(user)) : req;
  }

  it.each(['ada', 'bea'])(
    'gives %s (admin, budget reviewer) the hand-computed figures',
    async user => {
      const res = await report(user, '2026-11');
      expect(res.status).toBe(200);
      const body = res.body;
      expect(body).toMatchObject({ month: '2026-11', currency: 'EUR' });
      expect(body.latestMonth).toBeUndefined();
      // biggest overspend first: CC-7700 and CC-7800 are over; the examples owe nothing
      // (variance −forecast)
      expect(body.byCostCenter).toEqual([
        {
          key: 'CC-7700',
          title: 'Report tests',
          apps: 2,
          // 1000 + 0.005
          forecast: 1000.01,
          // 1200.5 + 34.065 + 0.005 (tiny-app) + 0.005 unallocated = 1234.575
          actual: 1234.58,
          // 234.57 exactly; 234.57 / 1000.005 = 23.457 %
          variance: 234.57,
          variancePercent: 23.5,
          unallocated: 0.01,
        },
        {
          key: 'CC-7800',
          apps: 0,
          forecast: 0,
          actual: 10,
          variance: 10,
          unallocated: 10,
        },
        row('CC-6000', 'Sales operations', 1, 5),
        row('CC-5100', 'People and HR', 1, 10),
        {
          key: 'CC-7701',
          apps: 1,
          forecast: 50,
          actual: 37.5,
          variance: -12.5,
          variancePercent: -25,
        },
        row('CC-2200', 'Research computing', 1, 15),
        row('CC-4711', 'Finance applications', 2, 44),
        row('CC-3100', 'Procurement', 1, 60),
        row('CC-1000', 'Platform operations', 3, 134),
      ]);
      expect(body.byOwner.slice(0, 2)).toEqual([
        {
          key: 'group:default/report-team',
          apps: 1,
          forecast: 1000,
          actual: 1234.57,
          variance: 234.57,
          variancePercent: 23.5,
        },
        {
          key: 'group:default/sales-ops',
          apps: 1,
          forecast: 5,
          actual: 0,
          variance: -5,
          variancePercent: -100,
        },
      ]);
      expect(
        body.byOwner.find((r: any) => r.key === 'group:default/other-team'),
      ).toEqual({
        key: 'group:default/other-team',
        apps: 2,
        // 50 + 0.005 → 50.01; 37.5 + 0.005 → 37.51; −12.5 / 50.005 = −24.9975 %
        forecast: 50.01,
        actual: 37.51,
        variance: -12.5,
        variancePercent: -25,
      });
      expect(body.byOwner.map((r: any) => r.key).sort()).toEqual(
        [
          ...EXAMPLES.map(([, owner]) => owner),
          'group:default/report-team',
          'group:default/other-team',
        ].sort(),
      );
      expect(body.apps.slice(0, 2)).toEqual([
        {
          entityRef: 'microapp:default/ledger-big',
          title: 'Ledger Big',
          owner: 'group:default/report-team',
          costCenter: 'CC-7700',
          tier: 'discover',
          forecast: 1000,
          actual: 1234.57,
          variance: 234.57,
          variancePercent: 23.5,
        },
        {
          entityRef: 'microapp:default/tiny-app',
          title: 'Tiny App',
          owner: 'group:default/other-team',
          costCenter: 'CC-7700',
          tier: 'discover',
          // 0.005 → 0.01 on both sides; the exact variance is 0
          forecast: 0.01,
          actual: 0.01,
          variance: 0,
          variancePercent: 0,
        },
      ]);
      expect(body.apps.map((a: any) => a.entityRef)).not.toContain(
        'microapp:default/gone-app',
      );
      // forecast 268 + 1050.005 = 1318.005; actual 1234.565 + 0.005 + 37.5 + 0.005 + 10 =
      // 1282.075; variance −35.93 (−2.726 %)
      expect(body.totals).toEqual({
        apps: EXAMPLE_APPS + 3,
        forecast: 1318.01,
        actual: 1282.08,
        variance: -35.93,
        variancePercent: -2.7,
      });
    },
  );

  it('answers the CSV that a spreadsheet reads: columns, sections, totals, rounding', async () => {
    const res = await report('bea', '2026-11', 'csv').buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="chargeback-2026-11.csv"',
    );
    expect(res.text.startsWith('\uFEFFgroup,')).toBe(true);
    const rows: string[][] = parseCsv(res.text, { bom: true });
    expect(rows[0]).toEqual([
      'group',
      'key',
      'title',
      'apps',
      'forecast',
      'actual',
      'variance',
      'variance %',
      'currency',
    ]);
    const groups = rows.slice(1).map(r => r[0]);
    expect(groups).toEqual([
      ...Array(9).fill('cost center'),
      ...Array(8).fill('owner'),
      ...Array(EXAMPLE_APPS + 3).fill('app'),
      'total',
    ]);
    const find = (group: string, key: string) =>
      rows.find(r => r[0] === group && r[1] === key);
    expect(find('cost center', 'CC-7700')).toEqual([
      'cost center',
      'CC-7700',
      'Report tests',
      '2',
      '1000.01',
      '1234.58',
      '234.57',
      '23.5',
      'EUR',
    ]);
    // the formula is neutralised, the negative variance stays a number
    expect(find('app', 'microapp:default/saver-app')).toEqual([
      'app',
      'microapp:default/saver-app',
      "'=SUM(1,2)",
      '1',
      '50.00',
      '37.50',
      '-12.50',
      '-25.0',
      'EUR',
    ]);
    expect(find('app', 'microapp:default/tiny-app')?.slice(4, 8)).toEqual([
      '0.01',
      '0.01',
      '0.00',
      '0.0',
    ]);
    expect(rows.at(-1)).toEqual([
      'total',
      'TOTAL',
      'All apps, 2026-11',
      String(EXAMPLE_APPS + 3),
      '1318.01',
      '1282.08',
      '-35.93',
      '-2.7',
      'EUR',
    ]);
  });

  it('names the newest month with costs when the month has none', async () => {
    const res = await report('ada', '2026-12');
    expect(res.status).toBe(200);
    expect(res.body.latestMonth).toBe('2026-11');
    expect(res.body.totals.actual).toBe(0);
  });

  it('serves a plugin with service credentials', async () => {
    const res = await request(server)
      .get('/api/marketplace/reports/chargeback?month=2026-11')
      .set('authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.totals.apps).toBe(EXAMPLE_APPS + 3);
  });

  it.each(['casey', 'sam'])(
    'refuses %s without the report permission (DENY)',
    async user => {
      for (const format of ['json', 'csv']) {
        const res = await report(user, '2026-11', format);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toBe(
          'Not allowed: marketplace.report.read',
        );
      }
    },
  );

  // the test backend takes a request without any header for a default user, so "no token"
  // is the mock's explicit none-token here
  it.each([
    ['no token', mockCredentials.none.header()],
    ['an invalid token', mockCredentials.user.invalidHeader()],
  ])('refuses a request with %s with 401', async (_, header) => {
    const res = await request(server)
      .get('/api/marketplace/reports/chargeback?month=2026-11')
      .set('authorization', header);
    expect(res.status).toBe(401);
  });

  it.each([[undefined], ['2026-13'], ['2026-1'], ['latest']])(
    'refuses the month %j with a 400 naming month',
    async month => {
      const res = await report('ada', month);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('month');
    },
  );
});

/** A row of an example cost center: no costs, so the variance is minus the forecast. */
function row(key: string, title: string, apps: number, forecast: number) {
  return {
    key,
    title,
    apps,
    forecast,
    actual: 0,
    variance: -forecast,
    variancePercent: -100,
  };
}
