// outside jest startTestBackend cannot run: a real backend it is, as in the benches
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendModule,
  type SchedulerService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { Knex } from 'knex';
import {
  demoMarketplaceConfig,
  marketplaceRoles,
} from '../src/__testUtils__/testBackend';
import {
  addMarketplacePlugins,
  allowAllPermissions,
  BASE_LOCATIONS,
  catalogSources,
  freePort,
  notificationsInto,
  rootConfigOf,
} from '../bench/backendParts';

/** How long a fault waits for any answer of the backend. */
export const REQUEST_TIMEOUT_MS = 30_000;

export type FaultBackend = Awaited<ReturnType<typeof startFaultBackend>>;

/**
 * Starts the real catalog (org, templates and `locations`), our catalog module and the
 * marketplace backend, listening on a free port of 127.0.0.1: on PostgreSQL at `pg` (each
 * plugin in its own database), else on in-memory SQLite. Tasks run only when
 * `scheduler.triggerTask` is called.
 */
export async function startFaultBackend(options: {
  pg?: { host: string; port: number };
  locations: string[];
  marketplace?: Record<string, unknown>;
  backend?: Record<string, unknown>;
}) {
  const port = await freePort();
  const config = new ConfigReader({
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { port, host: '127.0.0.1' },
      database: options.pg
        ? { client: 'pg', connection: { ...options.pg, user: 'postgres' } }
        : { client: 'better-sqlite3', connection: ':memory:' },
      ...options.backend,
    },
    catalog: {
      // reprocess quickly, so gate results follow the feed and OPA within the fault
      processingInterval: { seconds: 2 },
      ...catalogSources([...BASE_LOCATIONS, ...options.locations]),
    },
    marketplace: {
      ...demoMarketplaceConfig(),
      ...marketplaceRoles,
      ...options.marketplace,
    },
  });
  const notifications: NotificationSendOptions[] = [];
  let marketplaceDb: Knex | undefined;
  // one instance for every plugin: the fault triggers the catalog's and ours alike
  const scheduler = mockServices.scheduler() as unknown as SchedulerService & {
    factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
  };

  const backend = createBackend();
  backend.add(rootConfigOf(config));
  backend.add(
    mockServices.rootLogger.factory({
      level: (process.env.FAULTS_LOG_LEVEL as any) ?? 'none',
    }),
  );
  backend.add(scheduler.factory({ skipTaskRunOnStartup: true }));
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(allowAllPermissions);
  backend.add(notificationsInto(notifications));
  backend.add(
    createBackendModule({
      pluginId: 'marketplace',
      moduleId: 'faults-database-probe',
      register(reg) {
        reg.registerInit({
          deps: { database: coreServices.database },
          async init({ database }) {
            marketplaceDb = await database.getClient();
          },
        });
      },
    }),
  );
  addMarketplacePlugins(backend);
  await backend.start();

  const baseUrl = `http://127.0.0.1:${port}`;
  const call = async (
    method: 'GET' | 'POST',
    user: string,
    url: string,
    body?: object,
  ) => {
    const response = await fetch(`${baseUrl}/api/marketplace${url}`, {
      method,
      // a request that hangs is a finding, not a reason for the fault to hang
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      headers: {
        authorization: mockCredentials.user.header(`user:default/${user}`),
        ...(body && { 'content-type': 'application/json' }),
      },
      ...(body && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: response.status, body: json };
  };
  return {
    baseUrl,
    scheduler,
    notifications,
    /** The marketplace's own knex (the backend's pool). */
    get marketplaceDb() {
      return marketplaceDb!;
    },
    get: (user: string, url: string) => call('GET', user, url),
    /** An entity of the catalog, as a user sees it. */
    entity: async (user: string, kind: string, name: string) => {
      const response = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/${kind}/default/${name}`,
        {
          headers: {
            authorization: mockCredentials.user.header(`user:default/${user}`),
          },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        },
      );
      return response.ok ? response.json() : undefined;
    },
    post: (user: string, url: string, body: object = {}) =>
      call('POST', user, url, body),
    stop: () => backend.stop(),
  };
}
