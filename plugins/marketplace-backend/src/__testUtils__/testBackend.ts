import crypto from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import request from 'supertest';
import { parse } from 'yaml';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  notificationService,
  type NotificationService,
} from '@backstage/plugin-notifications-node';
import scaffolderEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleMarketplace from '@microapps/plugin-catalog-backend-module-marketplace';
import { marketplacePlugin } from '../plugin';

/** The repository root: examples, templates and the demo's app-config. */
export const REPO = path.resolve(__dirname, '../../../..');

const pgUrl = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** SQLite always; PostgreSQL when its connection string is set. */
export const testDatabaseIds: Array<[string]> = [
  ['SQLITE_3'],
  ...(pgUrl ? [['POSTGRES_15'] as [string]] : []),
];

/** Polls until `probe` returns a value. */
export async function waitFor<T>(
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

/** The demo's `marketplace` config with its file paths made absolute. */
export function demoMarketplaceConfig() {
  const appConfig = parse(
    fs.readFileSync(path.join(REPO, 'app-config.yaml'), 'utf8'),
  );
  const fromRepo = (p: string) => path.resolve(REPO, 'packages/backend', p);
  const { marketplace } = appConfig;
  return {
    ...marketplace,
    gates: {
      ...marketplace.gates,
      vulnerabilities: {
        ...marketplace.gates.vulnerabilities,
        feed: fromRepo(marketplace.gates.vulnerabilities.feed),
      },
    },
    policy: { packs: marketplace.policy.packs.map(fromRepo) },
  };
}

/**
 * Starts the real catalog (reading the repository's examples and `locations`), our catalog
 * module and the marketplace backend, each plugin with its own database as in production.
 * `stop()` also drops the PostgreSQL databases it created.
 */
export async function startMarketplaceBackend(options: {
  databaseId: string;
  locations: string[];
  config?: Record<string, unknown>;
  features?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const prefix = `mpt_${crypto.randomBytes(4).toString('hex')}_`;
  const { config = {} } = options;
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      scaffolderEntityModelModule,
      catalogModuleMarketplace,
      marketplacePlugin,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...config,
          backend: {
            ...(config.backend as object),
            baseUrl: 'http://localhost',
            database:
              options.databaseId === 'POSTGRES_15'
                ? { client: 'pg', connection: pgUrl, prefix }
                : { client: 'better-sqlite3', connection: ':memory:' },
          },
          catalog: {
            // reprocess quickly, so label changes show within the test
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
              path.join(REPO, 'examples/org.yaml'),
              path.join(REPO, 'examples/microapps/all.yaml'),
              path.join(REPO, 'templates/all.yaml'),
              ...options.locations,
            ].map(target => ({ type: 'file', target })),
          },
          marketplace: {
            ...demoMarketplaceConfig(),
            ...(config.marketplace as object),
          },
        },
      }),
    ],
  });
  return {
    server: backend.server,
    async stop() {
      await backend.stop();
      if (options.databaseId !== 'POSTGRES_15') return;
      await dropTestDatabases(prefix);
    },
  };
}

/**
 * The test backend's httpAuth, except that a plugin calling on behalf of a user is seen as
 * that user with the plugin as actor, as the real auth service does. The permission backend
 * refuses conditional requests from users without an actor, so the mock's plain user would
 * make every catalog read fail.
 */
export const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    const credentials = async (req: any, options?: any) => {
      const found: any = await inner.credentials(req, options);
      const header = String(req.headers?.authorization ?? '');
      if (
        found.principal.type === 'user' &&
        /^Bearer\s+mock-service-token:/i.test(header)
      ) {
        return mockCredentials.user(found.principal.userEntityRef, {
          actor: { subject: 'plugin:caller' },
        });
      }
      return found;
    };
    return {
      credentials: credentials as typeof inner.credentials,
      issueUserCookie: (res, options) => inner.issueUserCookie(res, options),
    };
  },
});

/** A module of the marketplace that hands the marketplace's own database to `onClient`. */
export const databaseProbe = (onClient: (db: Knex) => void) =>
  createBackendModule({
    pluginId: 'marketplace',
    moduleId: 'test-database-probe',
    register(reg) {
      reg.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          onClient(await database.getClient());
        },
      });
    },
  });

/** The notification service, with `send` (usually a jest.fn) in place of the real one. */
export const mockNotifications = (send: NotificationService['send']) =>
  createServiceFactory({
    service: notificationService,
    deps: {},
    factory: () => ({ send }),
  });

/** The examples' admins and reviewer groups (examples/org.yaml), as marketplace config. */
export const marketplaceRoles = {
  admins: ['group:default/marketplace-admins'],
  reviewers: {
    security: ['group:default/security-reviewers'],
    compliance: ['group:default/compliance-reviewers'],
    cost: ['group:default/budget-reviewers'],
    operations: ['group:default/operations-reviewers'],
    budget: ['group:default/budget-reviewers'],
  },
};

/** backend config: a caller with the static `token` is the service `subject`. */
export const staticTokenAuth = (token: string, subject: string) => ({
  auth: { externalAccess: [{ type: 'static', options: { token, subject } }] },
});

/** An authorization header of the user `user:default/<user>`. */
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/** GET and POST on the marketplace's routes as a user, once `server()` has started. */
export function marketplaceApi(server: () => any) {
  const api = (p: string) => `/api/marketplace${p}`;
  return {
    get: (user: string, p: string) =>
      request(server()).get(api(p)).set('authorization', as(user)),
    post: (user: string, p: string, body?: object) => {
      const req = request(server()).post(api(p)).set('authorization', as(user));
      return body ? req.send(body) : req;
    },
  };
}

/**
 * Drops a test backend's PostgreSQL databases (named `<prefix>…`) after `backend.stop()`.
 * Plugins' pools outlive stop(), and a poll that was sleeping (the scaffolder's task events)
 * may query once more: it waits until the databases have been quiet for 2 s.
 */
export async function dropTestDatabases(prefix: string) {
  if (!pgUrl) return;
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  for (let waited = 0; waited < 15_000; waited += 500) {
    const { rows: busy } = await admin.raw(
      `select count(*)::int as n from pg_stat_activity
       where datname like ? and state_change > now() - interval '2 seconds'`,
      [`${prefix}%`],
    );
    if (busy[0].n === 0) break;
    await new Promise(r => setTimeout(r, 500));
  }
  const { rows } = await admin.raw(
    'select datname from pg_database where datname like ?',
    [`${prefix}%`],
  );
  // a pool may still hold a connection for a moment after stop()
  for (const { datname } of rows) {
    await admin.raw(`drop database if exists "${datname}" with (force)`);
  }
  await admin.destroy();
}
