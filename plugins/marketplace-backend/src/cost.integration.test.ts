import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { Knex } from 'knex';
import { mockServices } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleMarketplacePolicy from '@microapps/plugin-permission-backend-module-marketplace';
import {
  databaseProbe,
  demoMarketplaceConfig,
  httpAuthWithActors,
  marketplaceApi,
  marketplaceRoles,
  mockNotifications,
  REPO,
  startMarketplaceBackend,
  testDatabaseIds,
  waitFor,
} from './__testUtils__/testBackend';

// The Enterprise budget guardrail and the overrun alerts through the real HTTP routes and
// the scheduled cost import, with the real catalog, permission backend and policy module.
jest.setTimeout(300_000);

const BUDGETED = 'microapp:default/budget-app';
const FORECAST = 'microapp:default/forecast-app';
const BUDGET_REQUIRED =
  'budget is required: approving the budget stage records the approved monthly budget';

/** Two apps of the platform team (pat), made from the clean status-page example. */
function writeApps(dir: string) {
  const source = path.join(REPO, 'examples/microapps/status-page');
  const base = parse(
    fs.readFileSync(path.join(source, 'catalog-info.yaml'), 'utf8'),
  );
  const app = (name: string, monthlyForecast: number) => {
    const copy = structuredClone(base);
    copy.metadata.name = name;
    copy.metadata.title = name;
    copy.spec.tier = 'enterprise';
    copy.spec.support.runbook = `https://wiki.example.com/${name}/runbook`;
    copy.spec.cost.monthlyForecast = monthlyForecast;
    return copy;
  };
  fs.copyFileSync(
    path.join(source, 'sbom.spdx.json'),
    path.join(dir, 'sbom.spdx.json'),
  );
  fs.writeFileSync(
    path.join(dir, 'catalog-info.yaml'),
    [app('budget-app', 40), app('forecast-app', 40)]
      .map(e => stringify(e))
      .join('---\n'),
  );
}

/** A FOCUS export charging each app `amount` in the current month (UTC). */
function writeCosts(dir: string, amounts: Record<string, string>) {
  const month = new Date().toISOString().slice(0, 7);
  const lines = [
    'BilledCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,Tags',
    ...Object.entries(amounts).map(
      ([app, amount]) =>
        `${amount},EUR,${month}-01T00:00:00Z,,Compute,"{""x_microapp"":""${app}""}"`,
    ),
    `3.5,EUR,${month}-01T00:00:00Z,,Storage,"{""x_cost_center"":""CC-1000""}"`,
  ];
  fs.writeFileSync(path.join(dir, 'export.csv'), `${lines.join('\n')}\n`);
  return month;
}

describe.each(testDatabaseIds)('cost guardrails on %s', databaseId => {
  let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
  let server: any;
  let tmp: string;
  let costsDir: string;
  let db: Knex;
  const send = jest.fn(async (_: any) => {});
  // the test backend's scheduler runs tasks when told to
  const scheduler = mockServices.scheduler() as any;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'marketplace-cost-'));
    costsDir = path.join(tmp, 'costs');
    fs.mkdirSync(costsDir);
    writeApps(tmp);
    backend = await startMarketplaceBackend({
      databaseId,
      locations: [path.join(tmp, 'catalog-info.yaml')],
      config: {
        permission: { enabled: true },
        marketplace: {
          ...marketplaceRoles,
          cost: {
            ...demoMarketplaceConfig().cost,
            currency: 'EUR',
            focus: { directory: costsDir },
          },
        },
      },
      features: [
        scheduler.factory(),
        httpAuthWithActors,
        permissionPlugin,
        permissionModuleMarketplacePolicy,
        mockNotifications(send),
        databaseProbe(client => {
          db = client;
        }),
      ],
    });
    server = backend.server;
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const { get, post } = marketplaceApi(() => server);
  const promotion = (id: string) =>
    get('ada', `/promotions/${id}`).then(r => r.body);
  const stageOf = (p: any, id: string) =>
    p.stages.find((s: any) => s.id === id);
  const auditOf = async (ref: string, action: string) => {
    const res = await get(
      'ada',
      `/audit?entityRef=${encodeURIComponent(ref)}&limit=1000`,
    );
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return (res.body.items as any[]).filter(e => e.action === action);
  };

  let id: string;

  it('refuses to approve the budget stage without a budget, and a budget anywhere else', async () => {
    for (const name of ['budget-app', 'forecast-app']) {
      await waitFor(`${name} evaluated`, async () => {
        const res = await get('pat', `/apps/default/${name}/gates`);
        return res.body.status && res.body.status !== 'pending'
          ? true
          : undefined;
      });
    }
    const created = await post('pat', '/promotions', {
      entityRef: BUDGETED,
      targetTier: 'enterprise',
    });
    expect(created.status).toBe(201);
    id = created.body.id;
    await waitFor('automated stage passed', async () =>
      stageOf(await promotion(id), 'automated')?.state === 'passed'
        ? true
        : undefined,
    );
    const signoff = (user: string, body: object) =>
      post(user, `/promotions/${id}/signoffs`, {
        decision: 'approve',
        comment: 'checked',
        ...body,
      });

    const missing = await signoff('bea', { stage: 'budget' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(BUDGET_REQUIRED);

    const elsewhere = await signoff('sam', { stage: 'security', budget: 40 });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toBe(
      "budget is only taken by the 'budget' stage, not by 'security'",
    );
    const onReject = await signoff('bea', {
      stage: 'budget',
      decision: 'reject',
      comment: 'too expensive',
      budget: 40,
    });
    expect(onReject.status).toBe(400);
    expect(onReject.body.error.message).toMatch(
      /^budget is only taken with an approval/,
    );
    for (const bad of [0, -5, 'forty', 2e9]) {
      const res = await signoff('bea', { stage: 'budget', budget: bad });
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(res.body.error.message).toMatch(/budget/);
    }
    // the owner may not sign, whatever the body; nor may another reviewer group
    expect((await signoff('pat', { stage: 'budget', budget: 40 })).status).toBe(
      403,
    );
    expect(
      (await signoff('otto', { stage: 'budget', budget: 40 })).status,
    ).toBe(403);
    expect(
      (
        await post('bea', '/promotions/no-such-id/signoffs', {
          stage: 'budget',
          decision: 'approve',
          comment: 'x',
          budget: 40,
        })
      ).status,
    ).toBe(404);

    const p = await promotion(id);
    expect(stageOf(p, 'budget').state).toBe('pending');
    expect(p.signoffs).toEqual([]);
    expect(await db('app_budgets').select()).toEqual([]);
  });

  it('does not complete an Enterprise promotion until the budget stage records a budget', async () => {
    for (const [user, stage] of [
      ['sam', 'security'],
      ['cora', 'compliance'],
      ['bea', 'cost'],
      ['otto', 'operations'],
    ]) {
      const res = await post(user, `/promotions/${id}/signoffs`, {
        stage,
        decision: 'approve',
        comment: `${stage} ok`,
      });
      expect([stage, res.status]).toEqual([stage, 200]);
    }
    const waiting = await promotion(id);
    expect(waiting.status).toBe('open');
    expect(waiting.currentStage).toBe('budget');
    expect((await get('pat', '/apps/default/budget-app')).body.tier).toBe(
      'discover',
    );
    const refused = await post('bea', `/promotions/${id}/signoffs`, {
      stage: 'budget',
      decision: 'approve',
      comment: 'forecast is plausible',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe(BUDGET_REQUIRED);
    expect((await promotion(id)).status).toBe('open');

    const approved = await post('bea', `/promotions/${id}/signoffs`, {
      stage: 'budget',
      decision: 'approve',
      comment: 'forecast is plausible',
      budget: 55.5,
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(stageOf(approved.body, 'budget').signoff).toMatchObject({
      reviewer: 'user:default/bea',
      budget: 55.5,
    });
    expect(approved.body.signoffs.map((s: any) => [s.stage, s.budget])).toEqual(
      [
        ['security', undefined],
        ['compliance', undefined],
        ['cost', undefined],
        ['operations', undefined],
        ['budget', 55.5],
      ],
    );
    expect((await get('pat', '/apps/default/budget-app')).body.tier).toBe(
      'enterprise',
    );
    const [entry] = (await auditOf(BUDGETED, 'signoff.recorded')).filter(
      e => e.data.stage === 'budget',
    );
    expect(entry.data).toMatchObject({
      decision: 'approve',
      promotionStatus: 'approved',
      budget: { amount: 55.5, currency: 'EUR' },
    });
    const budgets = await db('app_budgets').select();
    expect(
      budgets.map(b => [
        b.entity_ref,
        Number(b.amount),
        b.currency,
        b.approved_by,
        b.promotion_id,
      ]),
    ).toEqual([[BUDGETED, 55.5, 'EUR', 'user:default/bea', id]]);
  });

  it('alerts once per threshold against the budget or the forecast when the cost import runs', async () => {
    const month = writeCosts(costsDir, {
      'budget-app': '100', // budget 55.5: +80 %, so 25 and 50 fire
      'forecast-app': '100', // forecast 40: +150 %, all three fire
    });
    send.mockClear();
    await scheduler.triggerTask('marketplace-cost-import');

    const budgeted = await auditOf(BUDGETED, 'cost.alert');
    expect(budgeted.map(e => e.data)).toEqual(
      [25, 50].map(threshold => ({
        month,
        threshold,
        actual: 100,
        limit: 55.5,
        limitKind: 'budget',
        currency: 'EUR',
      })),
    );
    const forecast = await auditOf(FORECAST, 'cost.alert');
    expect(
      forecast.map(e => [
        e.actor,
        e.data.threshold,
        e.data.limit,
        e.data.limitKind,
      ]),
    ).toEqual([
      ['plugin:marketplace', 25, 40, 'forecast'],
      ['plugin:marketplace', 50, 40, 'forecast'],
      ['plugin:marketplace', 100, 40, 'forecast'],
    ]);
    const alerts = send.mock.calls
      .map(([n]) => n)
      .filter(n => n.payload.title.startsWith('Cost alert'));
    expect(
      alerts.map(n => [n.recipients.entityRef, n.payload.severity]),
    ).toEqual([
      [[BUDGETED], 'normal'],
      [[BUDGETED], 'normal'],
      [[FORECAST], 'normal'],
      [[FORECAST], 'normal'],
      [[FORECAST], 'high'],
    ]);
    expect(alerts[4].payload.link).toBe(
      '/catalog/default/microapp/forecast-app/governance',
    );
    // the untagged row went to its cost center
    expect(
      (await db('cost_center_costs').select()).map(r => [
        r.cost_center,
        Number(r.amount),
        r.source,
      ]),
    ).toEqual([['CC-1000', 3.5, 'focus:export.csv']]);

    // a second run stores nothing new and fires nothing
    send.mockClear();
    await scheduler.triggerTask('marketplace-cost-import');
    expect(await auditOf(BUDGETED, 'cost.alert')).toHaveLength(2);
    expect(await auditOf(FORECAST, 'cost.alert')).toHaveLength(3);
    expect(send).not.toHaveBeenCalled();
    const verify = await get('ada', '/audit/verify');
    expect(verify.body.ok).toBe(true);

    // the figures reach the Governance tab and the list
    const app = await get('ada', '/apps/default/forecast-app');
    expect(app.status).toBe(200);
    expect(app.body.operations.cost).toMatchObject({
      month,
      actual: 100,
      limit: 40,
      limitKind: 'forecast',
      variance: 60,
      variancePercent: 150,
      state: 'over',
      alertsFired: [25, 50, 100],
      history: [{ month, actual: 100 }],
    });
    expect(app.body.operations.slaState).toBe('no-data');
    const withBudget = await get('ada', '/apps/default/budget-app');
    expect(withBudget.body.operations.cost).toMatchObject({
      limit: 55.5,
      limitKind: 'budget',
      budget: { amount: 55.5, currency: 'EUR' },
      alertsFired: [25, 50],
    });
    const list = await get('ada', '/apps?limit=100');
    const listed = list.body.items.find(
      (i: { name: string }) => i.name === 'forecast-app',
    );
    expect(listed.operations).toEqual({
      cost: {
        month,
        actual: 100,
        limit: 40,
        limitKind: 'forecast',
        variance: 60,
        variancePercent: 150,
        state: 'over',
        alertsFired: [25, 50, 100],
      },
      slaState: 'no-data',
      flags: [],
    });
  });
});
