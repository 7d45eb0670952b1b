import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import type { Knex } from 'knex';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleMarketplacePolicy from '@microapps/plugin-permission-backend-module-marketplace';
import {
  as,
  databaseProbe,
  httpAuthWithActors,
  marketplaceApi,
  marketplaceRoles,
  mockNotifications,
  REPO,
  startMarketplaceBackend,
  testDatabaseIds,
  waitFor,
} from './__testUtils__/testBackend';
import { verifyEvidence } from './evidence/verifyEvidence';

// The promotion workflow through the real HTTP routes, as different users, with the real
// catalog, the real permission backend and our governance policy module.
jest.setTimeout(300_000);

/** People and groups of the test, next to the examples' org (examples/org.yaml). */
const ORG = [
  // an owner of platform apps who is also a security reviewer: may never review them
  {
    kind: 'User',
    name: 'rita',
    memberOf: ['platform-team', 'security-reviewers'],
  },
  // a security reviewer through a sub-group: nested groups count
  { kind: 'User', name: 'sven', memberOf: ['security-reviewers-eu'] },
  // in the finance department, not in the app team: the audience of a Discover app
  { kind: 'User', name: 'frank', memberOf: ['finance'] },
  { kind: 'User', name: 'outsider', memberOf: [] },
].map(u => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: u.kind,
  metadata: { name: u.name },
  spec: { memberOf: u.memberOf },
}));
const SUBGROUP = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'security-reviewers-eu' },
  spec: { type: 'team', parent: 'security-reviewers', children: [] },
};

/** Apps of the test, made from the clean status-page example. */
function writeApps(dir: string) {
  const source = path.join(REPO, 'examples/microapps/status-page');
  const base = parse(
    fs.readFileSync(path.join(source, 'catalog-info.yaml'), 'utf8'),
  );
  const app = (name: string, change: (a: any) => void) => {
    const copy = structuredClone(base);
    copy.metadata.name = name;
    copy.metadata.title = name;
    change(copy);
    return copy;
  };
  const apps = [
    // ready for Enterprise, and asking for it in the YAML
    app('ledger-lite', a => {
      a.spec.tier = 'enterprise';
      a.spec.support.runbook = 'https://wiki.example.com/ledger-lite/runbook';
    }),
    // restricted data on a 4-hour SLA: one policy finding blocks Vetted
    app('pay-widget', a => {
      a.spec.tier = 'discover';
      a.spec.owner = 'group:default/finance-apps';
      a.spec.data.classification = 'restricted';
      a.spec.support.slaTier = 'S3';
    }),
    app('race-app', a => {
      a.spec.tier = 'discover';
    }),
    // a Discover app of finance-apps that the whole finance department may use
    app('renew-app', a => {
      a.spec.tier = 'discover';
      a.spec.owner = 'group:default/finance-apps';
      a.spec.audience = ['group:default/finance'];
    }),
  ];
  fs.copyFileSync(
    path.join(source, 'sbom.spdx.json'),
    path.join(dir, 'sbom.spdx.json'),
  );
  fs.writeFileSync(
    path.join(dir, 'catalog-info.yaml'),
    [...apps, ...ORG, SUBGROUP].map(e => stringify(e)).join('---\n'),
  );
}

describe.each(testDatabaseIds)('promotion workflow on %s', databaseId => {
  let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
  let server: any;
  let tmp: string;
  let db: Knex;
  const send = jest.fn(async () => {});
  // the test backend's scheduler runs tasks when told to
  const scheduler = mockServices.scheduler() as any;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'marketplace-wf-'));
    writeApps(tmp);
    backend = await startMarketplaceBackend({
      databaseId,
      locations: [path.join(tmp, 'catalog-info.yaml')],
      config: {
        permission: { enabled: true },
        marketplace: {
          ...marketplaceRoles,
          // the schedule is read from config; the test triggers the job itself
          exceptions: {
            schedule: { frequency: { minutes: 5 }, timeout: { seconds: 30 } },
          },
        },
      },
      features: [
        scheduler.factory(),
        httpAuthWithActors,
        permissionPlugin,
        permissionModuleMarketplacePolicy,
        mockNotifications(send),
        // the marketplace's own database, for the tamper test
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

  const api = (p: string) => `/api/marketplace${p}`;
  const { get, post } = marketplaceApi(() => server);
  const label = async (name: string) =>
    (
      await request(server)
        .get(`/api/catalog/entities/by-name/microapp/default/${name}`)
        .set('authorization', as('ada'))
    ).body.metadata?.labels?.['microapps.dev/tier'];
  const promotion = (user: string, id: string) =>
    get(user, `/promotions/${id}`).then(r => r.body);
  const stageOf = (p: any, id: string) =>
    p.stages.find((s: any) => s.id === id);
  const waitForAutomated = async (id: string, state: string) => {
    let last: any;
    try {
      return await waitFor(`automated stage ${state}`, async () => {
        last = await promotion('ada', id);
        return stageOf(last, 'automated')?.state === state ? last : undefined;
      });
    } catch (error) {
      throw new Error(
        `${error}; last seen: ${JSON.stringify(last?.stages?.[0])}`,
      );
    }
  };
  const auditOf = async (name: string) => {
    const res = await get(
      'ada',
      `/audit?entityRef=${encodeURIComponent(
        `microapp:default/${name}`,
      )}&limit=1000`,
    );
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    return res.body.items as any[];
  };

  it('starts every app in Discover and reports a higher YAML request as a warning', async () => {
    const gates = await waitFor('ledger-lite evaluated', async () => {
      const res = await get('pat', '/apps/default/ledger-lite/gates');
      return res.body.status && res.body.status !== 'pending'
        ? res.body
        : undefined;
    });
    expect(gates.tier).toBe('enterprise');
    expect(
      gates.results.find((r: any) => r.gateId === 'tier-request'),
    ).toMatchObject({ status: 'warn', enforcement: 'warn' });
    const app = await get('pat', '/apps/default/ledger-lite');
    expect(app.body).toMatchObject({
      tier: 'discover',
      requestedTier: 'enterprise',
    });
    expect(await waitFor('label', async () => label('ledger-lite'))).toBe(
      'discover',
    );
  });

  it('hides a Discover app from users outside its owners and audience', async () => {
    const ref = 'microapp:default/team-dinner-splitter';
    const byName =
      '/api/catalog/entities/by-name/microapp/default/team-dinner-splitter';
    const outsider = await request(server)
      .get(byName)
      .set('authorization', as('outsider'));
    expect(outsider.status).toBe(404);
    const list = await get('outsider', '/apps?limit=200');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: any) => i.entityRef)).not.toContain(ref);
    expect(
      (await get('outsider', '/apps/default/team-dinner-splitter')).status,
    ).toBe(404);
    expect(
      (await get('outsider', '/apps/default/team-dinner-splitter/evidence'))
        .status,
    ).toBe(404);
    for (const url of [
      '/apps/default/team-dinner-splitter/gates',
      '/apps/default/team-dinner-splitter/exceptions',
      `/audit?entityRef=${encodeURIComponent(ref)}`,
    ]) {
      expect([url, (await get('outsider', url)).status]).toEqual([url, 404]);
    }
    // the owner, the audience (finance) and a reviewer see it
    for (const user of ['casey', 'frank', 'sam']) {
      const res = await request(server)
        .get(byName)
        .set('authorization', as(user));
      expect([user, res.status]).toEqual([user, 200]);
    }
    const frankList = await get('frank', '/apps?limit=200');
    expect(frankList.body.items.map((i: any) => i.entityRef)).toContain(ref);
  });

  let vettedId: string;

  it('lets only owners ask, and refuses a second open request (409)', async () => {
    const denied = await post('cora', '/promotions', {
      entityRef: 'microapp:default/ledger-lite',
      targetTier: 'vetted',
    });
    expect(denied.status).toBe(403);
    const bad = await post('pat', '/promotions', {
      entityRef: 'microapp:default/ledger-lite',
      targetTier: 'discover',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/targetTier/);
    const created = await post('pat', '/promotions', {
      entityRef: 'microapp:default/ledger-lite',
      targetTier: 'vetted',
      comment: 'ready for pre-production',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'open',
      revision: 1,
      fromTier: 'discover',
      targetTier: 'vetted',
      submitter: 'user:default/pat',
    });
    expect(created.body.stages.map((s: any) => s.id)).toEqual([
      'automated',
      'security',
      'compliance',
      'cost',
    ]);
    vettedId = created.body.id;
    const again = await post('pat', '/promotions', {
      entityRef: 'microapp:default/ledger-lite',
      targetTier: 'enterprise',
    });
    expect(again.status).toBe(409);
    // the security reviewers heard of it, except the submitter
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['group:default/security-reviewers'],
          excludeEntityRef: ['user:default/pat'],
        },
      }),
    );
  });

  it('tells each caller which stages they may sign (mayReview)', async () => {
    const id = vettedId;
    await waitForAutomated(id, 'passed');
    const flags = (p: any) =>
      Object.fromEntries(p.stages.map((s: any) => [s.id, s.mayReview]));
    const human = (security: boolean) => ({
      automated: undefined,
      security,
      compliance: false,
      cost: false,
    });
    // sam reviews security; sven through a sub-group; pat asked and owns the app;
    // rita owns it and is a security reviewer too
    for (const [user, security] of [
      ['sam', true],
      ['sven', true],
      ['pat', false],
      ['rita', false],
    ] as const) {
      const one = await get(user, `/promotions/${id}`);
      expect([user, one.status]).toEqual([user, 200]);
      expect([user, flags(one.body)]).toEqual([user, human(security)]);
      const app = await get(user, '/apps/default/ledger-lite');
      expect([user, flags(app.body.promotion)]).toEqual([
        user,
        human(security),
      ]);
      const open = await get(user, '/promotions?status=open');
      const listed = open.body.items.find((p: any) => p.id === id);
      expect([user, flags(listed)]).toEqual([user, human(security)]);
      const mine = await get(user, '/promotions?mine=true');
      expect([user, mine.body.items.map((p: any) => p.id)]).toEqual([
        user,
        security ? [id] : [],
      ]);
    }
    // a plugin reading the request is nobody who signs: no flags
    const service = await request(server)
      .get(api(`/promotions/${id}`))
      .set('authorization', mockCredentials.service.header());
    expect(service.status).toBe(200);
    expect(service.body.stages.map((s: any) => s.mayReview)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses self-approval, a reviewer of the wrong group and an owner (403)', async () => {
    const p = await waitForAutomated(vettedId, 'passed');
    expect(p.currentStage).toBe('security');
    const signoff = (user: string, stage = 'security') =>
      post(user, `/promotions/${vettedId}/signoffs`, {
        stage,
        decision: 'approve',
        comment: 'looks fine',
      });
    expect((await signoff('pat')).status).toBe(403);
    expect((await signoff('cora')).status).toBe(403);
    expect((await signoff('rita')).status).toBe(403);
    const malformed = await post('sam', `/promotions/${vettedId}/signoffs`, {
      stage: 'security',
      decision: 'maybe',
      comment: '',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/decision/);
    const after = await promotion('ada', vettedId);
    expect(stageOf(after, 'security').state).toBe('pending');
  });

  it('changes the tier once, when the last stage is approved', async () => {
    const approve = (user: string, stage: string) =>
      post(user, `/promotions/${vettedId}/signoffs`, {
        stage,
        decision: 'approve',
        comment: `${stage} ok`,
      });
    expect((await approve('sam', 'security')).status).toBe(200);
    expect((await approve('sam', 'security')).status).toBe(409);
    expect((await approve('cora', 'compliance')).status).toBe(200);
    expect((await get('pat', '/apps/default/ledger-lite')).body.tier).toBe(
      'discover',
    );
    const last = await approve('bea', 'cost');
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({
      status: 'approved',
      decidedAt: expect.any(String),
    });
    const state = (await get('pat', '/apps/default/ledger-lite')).body;
    expect(state.tier).toBe('vetted');
    // the tab shows what the request came to, with who signed each stage
    expect(state.promotion).toBeNull();
    expect(state.lastDecided).toMatchObject({
      id: vettedId,
      status: 'approved',
      targetTier: 'vetted',
    });
    expect(
      state.lastDecided.stages.map((s: any) => [s.id, s.signoff?.reviewer]),
    ).toEqual([
      ['automated', undefined],
      ['security', 'user:default/sam'],
      ['compliance', 'user:default/cora'],
      ['cost', 'user:default/bea'],
    ]);
    await waitFor('vetted label', async () =>
      (await label('ledger-lite')) === 'vetted' ? true : undefined,
    );
    const changes = (await auditOf('ledger-lite')).filter(
      e => e.data.tierChange,
    );
    expect(changes.map(e => e.data.tierChange)).toEqual([
      { from: 'discover', to: 'vetted' },
    ]);
  });

  it('returns a rejected request with reasons; a resubmission starts the stages again and reaches Enterprise', async () => {
    const created = await post('pat', '/promotions', {
      entityRef: 'microapp:default/ledger-lite',
      targetTier: 'enterprise',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.stages.map((s: any) => s.id)).toEqual([
      'automated',
      'security',
      'compliance',
      'cost',
      'operations',
      'budget',
    ]);
    await waitForAutomated(id, 'passed');
    const noReason = await post('sven', `/promotions/${id}/signoffs`, {
      stage: 'security',
      decision: 'reject',
      comment: '  ',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toBe(
      'comment is required: a reject must give reasons',
    );
    const noWord = await post('sven', `/promotions/${id}/signoffs`, {
      stage: 'security',
      decision: 'approve',
      comment: '',
    });
    expect(noWord.status).toBe(400);
    expect(noWord.body.error.message).toBe(
      'comment is required: an approval must say what was checked',
    );
    send.mockClear();
    // sven reviews through a sub-group of security-reviewers
    const rejected = await post('sven', `/promotions/${id}/signoffs`, {
      stage: 'security',
      decision: 'reject',
      comment: 'the runbook has no rollback section',
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['microapp:default/ledger-lite', 'user:default/pat'],
        },
        payload: expect.objectContaining({ severity: 'high' }),
      }),
    );
    const closed = await post('cora', `/promotions/${id}/signoffs`, {
      stage: 'compliance',
      decision: 'approve',
      comment: 'ok',
    });
    expect(closed.status).toBe(409);
    expect((await post('sam', `/promotions/${id}/resubmit`, {})).status).toBe(
      403,
    );
    const reopened = await post('pat', `/promotions/${id}/resubmit`, {
      comment: 'rollback section added',
    });
    expect(reopened.status).toBe(200);
    expect(reopened.body).toMatchObject({ status: 'open', revision: 2 });
    expect(stageOf(reopened.body, 'security').state).toBe('pending');
    for (const [user, stage] of [
      ['sven', 'security'],
      ['cora', 'compliance'],
      ['bea', 'cost'],
      ['otto', 'operations'],
      ['bea', 'budget'],
    ]) {
      const res = await post(user, `/promotions/${id}/signoffs`, {
        stage,
        decision: 'approve',
        comment: `${stage} ok`,
        // the budget stage records the approved monthly budget
        ...(stage === 'budget' && { budget: 75 }),
      });
      expect([stage, res.status]).toEqual([stage, 200]);
    }
    expect((await promotion('pat', id)).status).toBe('approved');
    expect((await get('pat', '/apps/default/ledger-lite')).body.tier).toBe(
      'enterprise',
    );
    await waitFor('enterprise label', async () =>
      (await label('ledger-lite')) === 'enterprise' ? true : undefined,
    );
    const signoffs = (await promotion('pat', id)).signoffs;
    expect(signoffs.map((s: any) => [s.revision, s.stage, s.decision])).toEqual(
      [
        [1, 'security', 'reject'],
        [2, 'security', 'approve'],
        [2, 'compliance', 'approve'],
        [2, 'cost', 'approve'],
        [2, 'operations', 'approve'],
        [2, 'budget', 'approve'],
      ],
    );
  });

  it('lets an exception cover a blocking finding until it lapses', async () => {
    const created = await post('casey', '/promotions', {
      entityRef: 'microapp:default/pay-widget',
      targetTier: 'vetted',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const blocked = await waitForAutomated(id, 'blocked');
    const blockers = stageOf(blocked, 'automated').blockers;
    expect(blockers).toHaveLength(1);
    const [{ gateId, findingIds }] = blockers;
    expect(gateId).toMatch(/^policy:/);
    const approveEarly = await post('sam', `/promotions/${id}/signoffs`, {
      stage: 'security',
      decision: 'approve',
      comment: 'ok',
    });
    expect(approveEarly.status).toBe(409);

    const exception = (user: string, body: object = {}) =>
      post(user, '/apps/default/pay-widget/exceptions', {
        gateId,
        findingId: findingIds[0],
        reason: 'S1 support contract signed, SLA changes next month',
        expiresAt: new Date(Date.now() + 6_000).toISOString(),
        ...body,
      });
    expect((await exception('cora')).status).toBe(403); // not a security reviewer
    expect((await exception('casey')).status).toBe(403); // an owner
    const tooLong = await exception('sam', {
      expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString(),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/expiresAt .* 30 days/);
    const unknown = await exception('sam', { findingId: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/findingId 'nope'/);
    const malformed = await exception('sam', { expiresAt: 'tomorrow' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/expiresAt/);

    const granted = await exception('sam');
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      status: 'active',
      grantedBy: 'user:default/sam',
    });
    expect((await exception('sam')).status).toBe(409);
    await waitForAutomated(id, 'passed');
    // the job warns the owners once while the exception is still valid
    send.mockClear();
    await scheduler.triggerTask('marketplace-exception-lapse');
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['microapp:default/pay-widget'],
        },
        payload: expect.objectContaining({ title: 'Exceptions lapse soon' }),
      }),
    );
    // the label follows: the excepted gate no longer fails the run
    await waitFor('pay-widget excepted', async () => {
      const g = (await get('casey', '/apps/default/pay-widget/gates')).body;
      const r = g.results?.find((x: any) => x.gateId === gateId);
      return r?.excepted ? g : undefined;
    });

    send.mockClear();
    // lapses on its own: the stage blocks again and the scheduled job records it
    await waitForAutomated(id, 'blocked');
    await scheduler.triggerTask('marketplace-exception-lapse');
    const lapsed = (await auditOf('pay-widget')).find(
      e => e.action === 'exception.lapsed',
    );
    expect(lapsed.data).toMatchObject({ gateId, findingId: findingIds[0] });
    const list = await get('casey', '/apps/default/pay-widget/exceptions');
    expect(list.body.items[0].status).toBe('lapsed');
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: {
          type: 'entity',
          entityRef: ['microapp:default/pay-widget'],
        },
        payload: expect.objectContaining({ title: '1 exception lapsed' }),
      }),
    );
    expect((await post('casey', `/promotions/${id}/withdraw`, {})).status).toBe(
      200,
    );
  });

  it('lets only admins demote, and audits it', async () => {
    const body = { targetTier: 'vetted', reason: 'on-call rota lapsed' };
    expect(
      (await post('pat', '/apps/default/ledger-lite/demotion', body)).status,
    ).toBe(403);
    const missing = await post('ada', '/apps/default/ledger-lite/demotion', {
      targetTier: 'vetted',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/reason/);
    const up = await post('ada', '/apps/default/ledger-lite/demotion', {
      ...body,
      targetTier: 'enterprise',
    });
    expect(up.status).toBe(409);
    const res = await post('ada', '/apps/default/ledger-lite/demotion', body);
    expect(res.status).toBe(200);
    expect(res.body.tier).toBe('vetted');
    const entry = (await auditOf('ledger-lite')).find(
      e => e.action === 'tier.demoted',
    );
    expect(entry).toMatchObject({
      actor: 'user:default/ada',
      data: { from: 'enterprise', to: 'vetted', reason: 'on-call rota lapsed' },
    });
  });

  it('applies exactly one of 20 parallel decisions on one request', async () => {
    const created = await post('pat', '/promotions', {
      entityRef: 'microapp:default/race-app',
      targetTier: 'vetted',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await waitForAutomated(id, 'passed');
    const before = (await auditOf('race-app')).length;
    const signoff = (user: string, stage: string) =>
      post(user, `/promotions/${id}/signoffs`, {
        stage,
        decision: 'approve',
        comment: `${user} ${stage}`,
      });
    const round = async (calls: Array<() => Promise<request.Response>>) =>
      (await Promise.all(calls.map(c => c()))).map(r => r.status);
    const first = await round([
      ...Array.from({ length: 10 }, () => () => signoff('sam', 'security')),
      ...Array.from({ length: 5 }, () => () => signoff('cora', 'compliance')),
      ...Array.from(
        { length: 5 },
        () => () =>
          post('pat', '/promotions', {
            entityRef: 'microapp:default/race-app',
            targetTier: 'vetted',
          }),
      ),
    ]);
    expect(first.filter(s => s === 200)).toHaveLength(2);
    expect(first.filter(s => s === 409)).toHaveLength(18);
    const last = await round(
      Array.from({ length: 20 }, () => () => signoff('bea', 'cost')),
    );
    expect(last.filter(s => s === 200)).toHaveLength(1);
    expect(last.filter(s => s === 409)).toHaveLength(19);
    const entries = (await auditOf('race-app')).slice(before);
    // one entry per accepted action, and one tier change
    expect(entries.filter(e => e.action === 'signoff.recorded')).toHaveLength(
      3,
    );
    expect(entries.filter(e => e.data.tierChange)).toHaveLength(1);
    expect((await get('pat', '/apps/default/race-app')).body.tier).toBe(
      'vetted',
    );
  });

  it('lets only owners renew a Discover app, once per period (403, 404, 409)', async () => {
    const registered = await request(server)
      .post(api('/internal/apps'))
      .set(
        'authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:scaffolder'),
          targetPluginId: 'marketplace',
        }),
      )
      .send({
        entityRef: 'microapp:default/renew-app',
        registeredBy: 'user:default/casey',
      });
    expect(registered.status).toBe(201);
    const path_ = '/apps/default/renew-app';
    // frank sees the app (its audience) and that it may be renewed, but may not renew it
    const seen = await get('frank', path_);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({
      tier: 'discover',
      expiresAt: registered.body.expiresAt,
      renewal: { allowed: true },
    });
    expect((await post('frank', `${path_}/renew`, {})).status).toBe(403);
    expect((await post('outsider', `${path_}/renew`, {})).status).toBe(404);

    const renewed = await post('casey', `${path_}/renew`, {});
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({
      tier: 'discover',
      renewal: { allowed: false },
    });
    expect(Date.parse(renewed.body.expiresAt)).toBeGreaterThanOrEqual(
      Date.parse(registered.body.expiresAt),
    );
    expect(renewed.body.renewal.reason).toMatch(
      /^renewed on \d{4}-\d\d-\d\d; the next renewal opens on \d{4}-\d\d-\d\d, 14 days before the expiry$/,
    );
    const again = await post('casey', `${path_}/renew`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('renewed on');
    const renewals = (await auditOf('renew-app')).filter(
      e => e.action === 'app.renewed',
    );
    expect(renewals).toHaveLength(1);
    expect(renewals[0].actor).toBe('user:default/casey');
  });

  it('lists the review queue of a reviewer', async () => {
    const created = await post('pat', '/promotions', {
      entityRef: 'microapp:default/race-app',
      targetTier: 'enterprise',
    });
    expect(created.status).toBe(201);
    const queue = await get('otto', '/promotions?mine=true');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((p: any) => p.id)).toContain(created.body.id);
    const notMine = await get('rita', '/promotions?mine=true');
    expect(notMine.body.items.map((p: any) => p.id)).not.toContain(
      created.body.id,
    );
    // a request of an app the caller may not see does not exist for them
    const hidden = await post('casey', '/promotions', {
      entityRef: 'microapp:default/team-dinner-splitter',
      targetTier: 'vetted',
    });
    expect(hidden.status).toBe(201);
    expect(
      (await get('outsider', `/promotions/${hidden.body.id}`)).status,
    ).toBe(404);
    expect(
      (await get('outsider', '/promotions?status=open')).body.items.map(
        (p: any) => p.id,
      ),
    ).not.toContain(hidden.body.id);
    expect(
      (await post('outsider', `/promotions/${hidden.body.id}/withdraw`, {}))
        .status,
    ).toBe(404);
    const byStage = await get('ada', '/promotions?stage=operations');
    expect(byStage.body.items.map((p: any) => p.id)).toContain(created.body.id);
    const bad = await get('ada', '/promotions?status=bogus');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status/);
    expect(
      (await post('sam', `/promotions/${created.body.id}/withdraw`, {})).status,
    ).toBe(403);
    expect(
      (await post('pat', `/promotions/${created.body.id}/withdraw`, {})).status,
    ).toBe(200);
  });

  it('hands out an evidence package that verifies offline and fails with one byte changed', async () => {
    const res = await get('pat', '/apps/default/ledger-lite/evidence');
    expect(res.status).toBe(200);
    const pkg = res.body;
    expect(pkg.sbom.sha256).toBe(
      'e38ee905f9c006755e4facc4691af57d4e637a7ef97c3468887c94e0c0f46060',
    );
    expect(pkg.promotions).toHaveLength(2);
    expect(verifyEvidence(pkg)).toMatchObject({ ok: true, problems: [] });
    const text = JSON.stringify(pkg);
    const at = text.indexOf('rollback section');
    const tampered = `${text.slice(0, at)}R${text.slice(at + 1)}`;
    expect(verifyEvidence(JSON.parse(tampered)).ok).toBe(false);
  });

  it('verifies the audit chain and names a row edited in the database', async () => {
    expect((await get('pat', '/audit/verify')).status).toBe(403);
    expect((await get('pat', '/audit')).status).toBe(403);
    const ok = await get('ada', '/audit/verify');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.checked).toBeGreaterThan(10);
    const [victim] = (await auditOf('ledger-lite')).filter(
      e => e.action === 'signoff.recorded',
    );
    await db('audit_log')
      .where({ seq: victim.seq })
      .update({
        data: JSON.stringify({ ...victim.data, comment: 'tampered' }),
      });
    const broken = await get('ada', '/audit/verify');
    expect(broken.body).toMatchObject({
      ok: false,
      firstBrokenSeq: victim.seq,
    });
  });
});
