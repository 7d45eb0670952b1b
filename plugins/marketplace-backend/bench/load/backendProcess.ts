// The backend of the load bench, run by loadBench.ts as a child process (forked, with an IPC
// channel) so that the load tool and the measured server do not share a CPU thread or a heap,
// and the driver can read this process's memory from /proc. Options come as JSON in
// BENCH_LOAD_BACKEND; it answers `{ type: 'ready', pid, port }` once listening and stops
// on `{ type: 'stop' }`, on SIGINT/SIGTERM, or when the driver goes away.
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  demoMarketplaceConfig,
  httpAuthWithActors,
} from '../../src/__testUtils__/testBackend';
import {
  addMarketplacePlugins,
  catalogSources,
  notificationsInto,
  rootConfigOf,
} from '../backendParts';
import { PG_URL } from '../benchUtils';

export interface BackendOptions {
  /** Database prefix: each plugin gets `<prefix><pluginId>`. */
  prefix: string;
  port: number;
  /** Catalog file locations (org, templates, apps). */
  locations: string[];
}

export type BackendMessage =
  | { type: 'ready'; pid: number; port: number }
  | { type: 'failed'; error: string };

function appConfig(options: BackendOptions) {
  // the demo's marketplace config, without the FOCUS import of the example apps' costs,
  // which would only log that none of the bench's apps is in it
  const { cost, ...marketplace } = demoMarketplaceConfig();
  const { focus: _focus, ...costWithoutImport } = cost;
  return new ConfigReader({
    backend: {
      baseUrl: `http://localhost:${options.port}`,
      listen: { port: options.port, host: '127.0.0.1' },
      database: { client: 'pg', connection: PG_URL, prefix: options.prefix },
    },
    permission: { enabled: true },
    catalog: {
      // one pass: nothing is reprocessed while the routes are measured (a kept catalog is
      // reused for days); a sign-off that changes a tier still refreshes its app at once
      processingInterval: { days: 7 },
      ...catalogSources(options.locations),
    },
    marketplace: { ...marketplace, cost: costWithoutImport },
  });
}

async function main() {
  const options: BackendOptions = JSON.parse(
    process.env.BENCH_LOAD_BACKEND ?? '{}',
  );
  const config = appConfig(options);
  const backend = createBackend();
  backend.add(rootConfigOf(config));
  // the test backend's auth: a user's token is `mockCredentials.user.header(ref)`
  backend.add(mockServices.auth.factory());
  backend.add(httpAuthWithActors);
  backend.add(mockServices.userInfo.factory());
  backend.add(notificationsInto());
  addMarketplacePlugins(backend);
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(
    import('@microapps/plugin-permission-backend-module-marketplace'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // a stuck shutdown must not keep the databases from being dropped
    setTimeout(() => process.exit(0), 10_000).unref();
    await backend.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  process.on('message', (m: any) => {
    if (m?.type === 'stop') stop();
  });

  try {
    await backend.start();
  } catch (e) {
    process.send?.({ type: 'failed', error: String(e) } as BackendMessage);
    process.exit(1);
  }
  process.send?.({
    type: 'ready',
    pid: process.pid,
    port: options.port,
  } as BackendMessage);
}

main();
