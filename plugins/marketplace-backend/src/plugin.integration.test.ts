import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  REPO,
  startMarketplaceBackend,
  testDatabaseIds,
  waitFor,
} from './__testUtils__/testBackend';

// The whole path: the real catalog reads the repository's examples, our catalog module runs
// the gates, the marketplace backend stores the runs and serves them. Each plugin gets its
// own database, as in production: in-memory SQLite always, and PostgreSQL when
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set. Permissions here are a
// stand-in (all allowed but for one user); workflow.integration.test.ts runs the real policy.
jest.setTimeout(180_000);

/** Everyone may read, except this user: the DENY path of every route. */
const OUTSIDER = 'user:default/outsider';
const isOutsider = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef ===
  OUTSIDER;
const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(
      requests: unknown[],
      { credentials }: { credentials: BackstageCredentials },
    ) {
      const result = isOutsider(credentials)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
      return requests.map(() => ({ result }));
    },
    async authorizeConditional(
      requests: unknown[],
      { credentials }: { credentials: BackstageCredentials },
    ) {
      const result = isOutsider(credentials)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW;
      return requests.map(() => ({ result }));
    },
  }),
});

describe.each(testDatabaseIds)(
  'marketplace with the real catalog on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startMarketplaceBackend>>;
    let server: any;
    let tmp: string;

    beforeAll(async () => {
      // The Discover example with a critical vulnerability, this time requesting Vetted.
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'marketplace-'));
      const source = path.join(REPO, 'examples/microapps/team-dinner-splitter');
      const app = parse(
        fs.readFileSync(path.join(source, 'catalog-info.yaml'), 'utf8'),
      );
      app.metadata.name = 'team-dinner-splitter-vetted';
      app.spec.tier = 'vetted';
      fs.writeFileSync(path.join(tmp, 'catalog-info.yaml'), stringify(app));
      fs.copyFileSync(
        path.join(source, 'sbom.cdx.json'),
        path.join(tmp, 'sbom.cdx.json'),
      );
      backend = await startMarketplaceBackend({
        databaseId,
        locations: [path.join(tmp, 'catalog-info.yaml')],
        features: [permissionsFactory],
        // not the default 60, to see that the setting reaches registrations
        config: {
          marketplace: { tiers: { discover: { expiresAfterDays: 45 } } },
        },
      });
      server = backend.server;
    });

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    const gatesOf = (name: string, status?: string, timeoutMs?: number) =>
      waitFor(
        `gate results of ${name}`,
        async () => {
          const res = await request(server).get(
            `/api/marketplace/apps/default/${name}/gates`,
          );
          const done = res.status === 200 && res.body.status !== 'pending';
          return done && (!status || res.body.status === status)
            ? res.body
            : undefined;
        },
        timeoutMs,
      );
    const entityOf = async (name: string): Promise<Entity> =>
      (
        await request(server).get(
          `/api/catalog/entities/by-name/microapp/default/${name}`,
        )
      ).body;
    const entityWithGateStatus = (name: string, status: string) =>
      waitFor(`${name} labelled ${status}`, async () => {
        const e = await entityOf(name);
        return e.metadata?.labels?.['microapps.dev/gate-status'] === status
          ? e
          : undefined;
      });
    const resultOf = (gates: any, gateId: string) =>
      gates.results.find((r: any) => r.gateId === gateId);

    it('warns about a Discover app with a critical vulnerability', async () => {
      const gates = await gatesOf('team-dinner-splitter');
      expect(gates.tier).toBe('discover');
      const vulnerabilities = resultOf(gates, 'vulnerabilities');
      expect(vulnerabilities).toMatchObject({
        status: 'fail',
        enforcement: 'warn',
      });
      expect(
        vulnerabilities.findings.some((f: any) => f.severity === 'critical'),
      ).toBe(true);
      expect(gates.status).toBe('warn');
      const entity = await entityWithGateStatus('team-dinner-splitter', 'warn');
      expect(entity.metadata.labels?.['microapps.dev/tier']).toBe('discover');
    });

    it('blocks the same app when it requests Vetted', async () => {
      const gates = await gatesOf('team-dinner-splitter-vetted');
      expect(gates.tier).toBe('vetted');
      expect(resultOf(gates, 'vulnerabilities')).toMatchObject({
        status: 'fail',
        enforcement: 'block',
      });
      expect(gates.status).toBe('fail');
      const entity = await entityWithGateStatus(
        'team-dinner-splitter-vetted',
        'fail',
      );
      // the label is the approved tier; the request above it is a warning, not a promotion
      expect(entity.metadata.labels?.['microapps.dev/tier']).toBe('discover');
      expect(resultOf(gates, 'tier-request')).toMatchObject({
        status: 'warn',
        enforcement: 'warn',
        findings: [expect.objectContaining({ location: 'spec.tier' })],
      });
    });

    it('passes a clean app at the tier it requests', async () => {
      // a Vetted request with a real SBOM: every gate evaluated, none failing; the only
      // warning says Vetted is requested but not yet approved. It may first be processed
      // before its template is ingested, so wait for it to settle.
      const settled = (g: any) =>
        g.results.every(
          (r: any) =>
            r.gateId === 'tier-request' ||
            ['pass', 'not-applicable'].includes(r.status),
        );
      const gates = await waitFor(
        'status-page to settle',
        async () => {
          const g = await gatesOf('status-page');
          return settled(g) ? g : undefined;
        },
        30_000,
      ).catch(() => gatesOf('status-page'));
      const notPassing = gates.results.filter(
        (r: any) => !['pass', 'not-applicable'].includes(r.status),
      );
      expect(notPassing.map((r: any) => r.gateId)).toEqual(['tier-request']);
      expect(gates.status).toBe('warn');
      expect(gates.tier).toBe('vetted');
      expect(resultOf(gates, 'sbom').status).toBe('pass');
      expect(resultOf(gates, 'vulnerabilities').status).toBe('pass');
      await entityWithGateStatus('status-page', 'warn');
    });

    it('lists the apps with their governance summary and filters by the labels', async () => {
      await gatesOf('incident-digest');
      const all = await request(server).get('/api/marketplace/apps?limit=200');
      expect(all.status).toBe(200);
      const names = all.body.items.map((i: any) => i.name);
      expect(names).toEqual(
        expect.arrayContaining(['team-dinner-splitter', 'incident-digest']),
      );
      const digest = all.body.items.find(
        (i: any) => i.name === 'incident-digest',
      );
      expect(digest).toMatchObject({
        entityRef: 'microapp:default/incident-digest',
        owner: 'group:default/platform-team',
        // the YAML asks for Enterprise; only the workflow grants it
        tier: 'discover',
        requestedTier: 'enterprise',
        cost: { center: 'CC-1000', monthlyForecast: 8, currency: 'EUR' },
      });
      const failing = await waitFor('fail filter', async () => {
        const res = await request(server).get(
          '/api/marketplace/apps?gateStatus=fail',
        );
        return res.body.items?.length ? res.body.items : undefined;
      });
      expect(failing.every((i: any) => i.gateStatus === 'fail')).toBe(true);
      const owned = await request(server).get(
        `/api/marketplace/apps?owner=${encodeURIComponent(
          'group:default/platform-team',
        )}`,
      );
      expect(owned.body.items.map((i: any) => i.name).sort()).toEqual([
        'incident-digest',
        'mail-relay-monitor',
        'status-page',
      ]);
    });

    it('filters by data classification and cost center', async () => {
      const names = (items: any[]) => items.map((i: any) => i.name).sort();
      const get = (query: string) =>
        request(server).get(`/api/marketplace/apps?limit=200${query}`);
      /**
       * What the filter lists and what it should list: the apps of the unfiltered list that
       * `keep` accepts. Polls until the two agree, as the catalog may still be ingesting; the
       * assertions below show the difference when they never do.
       */
      const listed = async (query: string, keep: (i: any) => boolean) => {
        let last = {
          status: 0,
          names: [] as string[],
          expected: [] as string[],
        };
        return waitFor(
          `apps?${query}`,
          async () => {
            const [res, all] = await Promise.all([get(`&${query}`), get('')]);
            last = {
              status: res.status,
              names: names(res.body.items ?? []),
              expected: names(all.body.items.filter(keep)),
            };
            return res.status === 200 &&
              JSON.stringify(last.names) === JSON.stringify(last.expected)
              ? last
              : undefined;
          },
          30_000,
        ).catch(() => last);
      };
      await Promise.all(
        [
          'team-dinner-splitter',
          'team-dinner-splitter-vetted',
          'incident-digest',
          'mail-relay-monitor',
          'leave-planner',
        ].map(name => gatesOf(name)),
      );

      // leave-planner and mail-relay-monitor are confidential, incident-digest internal
      const confidential = await listed(
        'classification=confidential',
        i => i.classification === 'confidential',
      );
      expect(confidential.status).toBe(200);
      expect(confidential.names).toEqual(confidential.expected);
      expect(confidential.names).toEqual(
        expect.arrayContaining(['leave-planner', 'mail-relay-monitor']),
      );
      expect(confidential.names).not.toContain('incident-digest');

      // both team-dinner-splitters are CC-4711, incident-digest CC-1000
      const cc4711 = await listed(
        'costCenter=CC-4711',
        i => i.cost.center === 'CC-4711',
      );
      expect(cc4711.status).toBe(200);
      expect(cc4711.names).toEqual(cc4711.expected);
      expect(cc4711.names).toEqual(
        expect.arrayContaining([
          'team-dinner-splitter',
          'team-dinner-splitter-vetted',
        ]),
      );
      expect(cc4711.names).not.toContain('incident-digest');

      // together: mail-relay-monitor shares CC-1000 with incident-digest but is confidential
      const both = await listed(
        'classification=internal&costCenter=CC-1000',
        i => i.classification === 'internal' && i.cost.center === 'CC-1000',
      );
      expect(both.names).toEqual(both.expected);
      expect(both.names).toContain('incident-digest');
      expect(both.names).not.toContain('mail-relay-monitor');

      // catalog filters ignore case
      const lower = await get('&costCenter=cc-4711');
      expect(names(lower.body.items)).toEqual(cc4711.names);

      const none = await get('&costCenter=CC-0000');
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ items: [] });

      const bad = await get('&classification=secret');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('classification');
    });

    it('pages through the apps with a cursor', async () => {
      const first = await request(server).get('/api/marketplace/apps?limit=3');
      expect(first.body.items).toHaveLength(3);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await request(server).get(
        `/api/marketplace/apps?limit=3&cursor=${encodeURIComponent(
          first.body.nextCursor,
        )}`,
      );
      const seen = [...first.body.items, ...second.body.items].map(
        (i: any) => i.name,
      );
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('shows nothing to a caller who may not read the apps (DENY)', async () => {
      const as = mockCredentials.user.header(OUTSIDER);
      const list = await request(server)
        .get('/api/marketplace/apps')
        .set('authorization', as);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [] });
      for (const url of [
        '/api/marketplace/apps/default/incident-digest',
        '/api/marketplace/apps/default/incident-digest/gates',
      ]) {
        const res = await request(server).get(url).set('authorization', as);
        expect(res.status).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain('platform-team');
      }
    });

    it('registers an app for the scaffolder once, with its Discover expiry', async () => {
      const asPlugin = (subject: string) =>
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service(subject),
          targetPluginId: 'marketplace',
        });
      const register = (body: object, auth = asPlugin('plugin:scaffolder')) =>
        request(server)
          .post('/api/marketplace/internal/apps')
          .set('authorization', auth)
          .send(body);
      const entityRef = 'microapp:default/leave-planner';

      const before = Date.now();
      const first = await register({
        entityRef,
        registeredBy: 'user:default/casey',
      });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        entityRef,
        tier: 'discover',
        expiresAt: expect.any(String),
        created: true,
      });
      const expiresAt = new Date(first.body.expiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(before + 45 * 86_400_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 45 * 86_400_000);

      // a repeat (here from the catalog) changes nothing, the expiry included
      const again = await register(
        { entityRef: 'MicroApp:default/Leave-Planner' },
        asPlugin('plugin:catalog'),
      );
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...first.body, created: false });

      const app = await request(server).get(
        '/api/marketplace/apps/default/leave-planner',
      );
      expect(app.status).toBe(200);
      expect(app.body.expiresAt).toBe(first.body.expiresAt);

      const audit = await request(server).get(
        `/api/marketplace/audit?entityRef=${encodeURIComponent(entityRef)}`,
      );
      const registered = audit.body.items.filter(
        (e: any) => e.action === 'app.registered',
      );
      expect(registered).toEqual([
        expect.objectContaining({
          actor: 'plugin:scaffolder',
          data: {
            tier: 'discover',
            registeredBy: 'user:default/casey',
            expiresAt: first.body.expiresAt,
          },
        }),
      ]);
      const verify = await request(server).get('/api/marketplace/audit/verify');
      expect(verify.body.ok).toBe(true);

      const bad = await register({
        entityRef: 'component:default/leave-planner',
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('entityRef');
      const missing = await register({});
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('entityRef');
    });

    it('refuses registrations from users and other plugins (DENY)', async () => {
      for (const auth of [
        mockCredentials.user.header('user:default/casey'),
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:search'),
          targetPluginId: 'marketplace',
        }),
      ]) {
        const res = await request(server)
          .post('/api/marketplace/internal/apps')
          .set('authorization', auth)
          .send({ entityRef: 'microapp:default/incident-digest' });
        expect(res.status).toBe(403);
      }
      const app = await request(server).get(
        '/api/marketplace/apps/default/incident-digest',
      );
      expect(app.body.expiresAt).toBeNull();
    });

    it('answers 404 for an unknown app', async () => {
      const res = await request(server).get(
        '/api/marketplace/apps/default/nope',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe("No app 'microapp:default/nope'");
    });
  },
);
