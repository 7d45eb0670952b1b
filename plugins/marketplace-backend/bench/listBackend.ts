/* eslint-disable no-console */
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
// the bench runs outside jest, where startTestBackend cannot; a real backend it is, as in
// the catalog module's processing bench
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DatabaseMarketplaceStore } from '../src/database/DatabaseMarketplaceStore';
import { demoMarketplaceConfig, REPO } from '../src/__testUtils__/testBackend';
import {
  bulkInsert,
  dropPgDatabases,
  PG_URL,
  randomSuffix,
} from './benchUtils';
import {
  addMarketplacePlugins,
  allowAllPermissions,
  BASE_LOCATIONS,
  catalogSources,
  freePort,
  notificationsInto,
  rootConfigOf,
} from './backendParts';
import { appName, appRef } from './seedHistory';

/** Every third app (index % 3 === 1) is Vetted; the rest are in Discover. */
export const isVetted = (i: number) => i % 3 === 1;

export function vettedCount(apps: number) {
  let n = 0;
  for (let i = 0; i < apps; i++) if (isVetted(i)) n++;
  return n;
}

/**
 * Writes `apps` MicroApps, made from the clean status-page example without its SBOM (so
 * processing stays cheap), into a few YAML files; returns their paths.
 */
export function writeAppFiles(dir: string, apps: number, files = 10): string[] {
  const base = parse(
    fs.readFileSync(
      path.join(REPO, 'examples/microapps/status-page/catalog-info.yaml'),
      'utf8',
    ),
  );
  delete base.metadata.annotations;
  const perFile = Math.ceil(apps / files);
  const paths: string[] = [];
  for (let f = 0; f * perFile < apps; f++) {
    const docs: string[] = [];
    for (let i = f * perFile; i < Math.min(apps, (f + 1) * perFile); i++) {
      const copy = structuredClone(base);
      copy.metadata.name = appName(i);
      copy.metadata.title = `Bench app ${i}`;
      copy.spec.tier = isVetted(i) ? 'vetted' : 'discover';
      docs.push(stringify(copy));
    }
    const file = path.join(dir, `apps-${f}.yaml`);
    fs.writeFileSync(file, docs.join('---\n'));
    paths.push(file);
  }
  return paths;
}

/**
 * Seeds the marketplace's `apps` rows with the effective tiers before the catalog first
 * asks for them (modules initialise before their plugin; the plugin's own migration run is
 * then a no-op). The catalog module labels each app with the tier the backend answers.
 */
function seedTiersModule(apps: number) {
  return createBackendModule({
    pluginId: 'marketplace',
    moduleId: 'bench-seed-tiers',
    register(reg) {
      reg.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          await DatabaseMarketplaceStore.create({ database });
          const knex = await database.getClient();
          const now = new Date();
          const rows = Array.from({ length: apps }, (_, i) => ({
            entity_ref: appRef(i),
            requested_tier: isVetted(i) ? 'vetted' : 'discover',
            effective_tier: isVetted(i) ? 'vetted' : 'discover',
            gate_status: 'pass',
            latest_run_id: null,
            first_seen_at: now,
            updated_at: now,
            tier_changed_at: isVetted(i) ? now : null,
          }));
          await knex.transaction(tx => bulkInsert(tx, 'apps', rows, 1000));
        },
      });
    },
  });
}

/**
 * Starts the real catalog (with the scaffolder's Template kind and our catalog module) and
 * the marketplace backend on PostgreSQL, each plugin in its own database, listening on a
 * free port. Auth is the test backend's mock auth (tokens from `mockCredentials`), and
 * permissions allow everything.
 */
export async function startListBackend(options: { dir: string; apps: number }) {
  const prefix = `mpbench_list_${randomSuffix()}_`;
  const port = await freePort();
  const files = writeAppFiles(options.dir, options.apps);
  const config = new ConfigReader({
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'pg', connection: PG_URL, prefix },
    },
    catalog: {
      // one pass: no re-processing while the route is measured
      processingInterval: { hours: 2 },
      ...catalogSources([...BASE_LOCATIONS, ...files]),
    },
    marketplace: demoMarketplaceConfig(),
  });

  const backend = createBackend();
  backend.add(rootConfigOf(config));
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(allowAllPermissions);
  backend.add(notificationsInto());
  addMarketplacePlugins(backend);
  backend.add(seedTiersModule(options.apps));
  await backend.start();

  const baseUrl = `http://127.0.0.1:${port}`;
  const header = mockCredentials.user.header('user:default/ada');
  return {
    baseUrl,
    /** GET with a signed-in user's token; returns status, body and time in ms. */
    async get(url: string) {
      const start = process.hrtime.bigint();
      const response = await fetch(`${baseUrl}${url}`, {
        headers: { authorization: header },
      });
      const body = await response.json();
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      return { status: response.status, body, ms };
    },
    async stop() {
      await backend.stop();
      await dropPgDatabases(prefix);
    },
  };
}
