import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import knexFactory from 'knex';
import { parse, stringify } from 'yaml';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleMarketplace from '@microapps/plugin-catalog-backend-module-marketplace';
import { marketplacePlugin } from './plugin';

// The whole path: the real catalog reads the repository's examples, our catalog module runs
// the gates, the marketplace backend stores the runs and serves them. Each plugin gets its
// own database, as in production: in-memory SQLite always, and PostgreSQL when
// BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
jest.setTimeout(180_000);

const REPO = path.resolve(__dirname, '../../..');
const pgUrl = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const databases: Array<[string]> = [
  ['SQLITE_3'],
  ...(pgUrl ? [['POSTGRES_15'] as [string]] : []),
];

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

function databaseConfig(id: string, prefix: string) {
  return id === 'POSTGRES_15'
    ? { client: 'pg', connection: pgUrl, prefix }
    : { client: 'better-sqlite3', connection: ':memory:' };
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 300));
  }
}

describe.each(databases)(
  'marketplace with the real catalog on %s',
  databaseId => {
    const prefix = `mpt_${crypto.randomBytes(4).toString('hex')}_`;
    let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
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

      const appConfig = parse(
        fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
      );
      const fromRepo = (p: string) => path.resolve(REPO, 'packages/backend', p);
      const location = (target: string) => ({ type: 'file', target });
      backend = await startTestBackend({
        features: [
          catalogPlugin,
          scaffolderEntityModelModule,
          catalogModuleMarketplace,
          marketplacePlugin,
          permissionsFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                baseUrl: 'http://localhost',
                database: databaseConfig(databaseId, prefix),
              },
              catalog: {
                // reprocess quickly: an app processed before its template was ingested
                // must catch up within the test, as it does within minutes in a portal
                processingInterval: { seconds: 2 },
                rules: [
                  {
                    allow: [
                      'Component',
                      'System',
                      'API',
                      'Resource',
                      'Location',
                      'MicroApp',
                      'User',
                      'Group',
                      'Template',
                    ],
                  },
                ],
                locations: [
                  location(path.join(REPO, 'examples/org.yaml')),
                  location(path.join(REPO, 'examples/microapps/all.yaml')),
                  location(path.join(REPO, 'templates/all.yaml')),
                  location(path.join(tmp, 'catalog-info.yaml')),
                ],
              },
              // the demo's own marketplace configuration, with its paths made absolute
              marketplace: {
                ...appConfig.marketplace,
                gates: {
                  ...appConfig.marketplace.gates,
                  vulnerabilities: {
                    ...appConfig.marketplace.gates.vulnerabilities,
                    feed: fromRepo(
                      appConfig.marketplace.gates.vulnerabilities.feed,
                    ),
                  },
                },
                policy: {
                  packs: appConfig.marketplace.policy.packs.map(fromRepo),
                },
              },
            },
          }),
        ],
      });
      server = backend.server;
    });

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
      if (databaseId === 'POSTGRES_15') {
        const admin = knexFactory({ client: 'pg', connection: pgUrl });
        const { rows } = await admin.raw(
          'select datname from pg_database where datname like ?',
          [`${prefix}%`],
        );
        // a pool may still hold a connection for a moment after stop()
        for (const { datname } of rows)
          await admin.raw(`drop database if exists "${datname}" with (force)`);
        await admin.destroy();
      }
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
      await entityWithGateStatus('team-dinner-splitter-vetted', 'fail');
    });

    it('passes a clean app', async () => {
      // a Vetted app with a real SBOM: every gate evaluated, none failing. It may first be
      // processed before its template is ingested, so wait for it to settle.
      const gates = await gatesOf('status-page', 'pass', 30_000).catch(() =>
        gatesOf('status-page'),
      );
      const notPassing = gates.results.filter(
        (r: any) => !['pass', 'not-applicable'].includes(r.status),
      );
      expect(notPassing).toEqual([]);
      expect(gates.status).toBe('pass');
      expect(gates.tier).toBe('vetted');
      expect(resultOf(gates, 'sbom').status).toBe('pass');
      expect(resultOf(gates, 'vulnerabilities').status).toBe('pass');
      await entityWithGateStatus('status-page', 'pass');
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
        tier: 'enterprise',
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

    it('answers 404 for an unknown app', async () => {
      const res = await request(server).get(
        '/api/marketplace/apps/default/nope',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe("No app 'microapp:default/nope'");
    });
  },
);
