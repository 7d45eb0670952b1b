import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { catalogModuleMarketplace } from './module';

// Runs the real catalog backend with this module on every database this machine offers:
// SQLite always, PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const examples = path.resolve(__dirname, '../../../examples');

const brokenYaml = `
apiVersion: microapps.dev/v1alpha1
kind: MicroApp
metadata:
  name: broken-forecast
spec:
  type: web-app
  owner: group:default/finance-apps
  tier: gold
  cost:
    center: CC-1
    monthlyForecast: "lots"
---
apiVersion: microapps.dev/v1alpha1
kind: MicroApp
metadata:
  name: broken-owner
spec:
  type: web-app
  cost:
    center: CC-1
    monthlyForecast: 1
---
apiVersion: microapps.dev/v1alpha1
kind: MicroApp
metadata:
  name: fine-next-to-broken
spec:
  type: web-app
  owner: group:default/finance-apps
  cost:
    center: CC-1
    monthlyForecast: 1
`;

function readDocs(file: string): Entity[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map(
    d => d.toJS() as Entity,
  );
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

async function startCatalog(options: {
  knex: any;
  withModule: boolean;
  locations: string[];
}) {
  const processingErrors: Array<{ entityRef: string; messages: string[] }> = [];
  const errorCollector = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-error-collector',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.setOnProcessingErrorHandler(
            ({ unprocessedEntity, errors }) => {
              processingErrors.push({
                entityRef: `${unprocessedEntity.kind}:${unprocessedEntity.metadata.name}`,
                messages: errors.map(
                  e => `${e.message} ${(e as any).cause?.message ?? ''}`,
                ),
              });
            },
          );
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      scaffolderEntityModelModule,
      ...(options.withModule ? [catalogModuleMarketplace] : []),
      errorCollector,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
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
                ],
              },
            ],
            locations: options.locations.map(target => ({
              type: 'file',
              target,
            })),
          },
        },
      }),
    ],
  });
  const getEntity = async (ref: string): Promise<Entity | undefined> => {
    const [kind, rest] = ref.split(':');
    const [namespace, name] = rest.split('/');
    const res = await request(backend.server).get(
      `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
    );
    return res.status === 200 ? res.body : undefined;
  };
  return {
    server: backend.server,
    stop: () => backend.stop(),
    processingErrors,
    getEntity,
  };
}

const relationsOf = (entity: Entity) =>
  entity.relations?.map(r => `${r.type} ${r.targetRef}`).sort();

describe.each(databases.eachSupportedId())(
  'catalog with the MicroApp module on %s',
  databaseId => {
    let catalog: Awaited<ReturnType<typeof startCatalog>>;
    let tmp: string;
    const upstreamFiles = ['entities.yaml', 'org.yaml', 'resources.yaml'].map(
      f => path.join(examples, f),
    );

    beforeAll(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'microapps-'));
      fs.writeFileSync(path.join(tmp, 'broken.yaml'), brokenYaml);
      catalog = await startCatalog({
        knex: await databases.init(databaseId),
        withModule: true,
        locations: [
          ...upstreamFiles,
          path.join(examples, 'microapps/all.yaml'),
          path.join(tmp, 'broken.yaml'),
        ],
      });
    }, 120_000);

    afterAll(async () => {
      await catalog?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('stores every example MicroApp with its labels', async () => {
      const expected = readDocs(path.join(examples, 'microapps/all.yaml'))[0]
        .spec!.targets as string[];
      expect(expected.length).toBeGreaterThanOrEqual(6);
      const items = await waitFor('the example MicroApps', async () => {
        const res = await request(catalog.server).get(
          '/api/catalog/entities/by-query?filter=kind=microapp&limit=100',
        );
        const found = res.body.items as Entity[];
        // the fine entity next to the broken ones is ingested too
        return found?.length === expected.length + 1 &&
          found.every(e => e.relations?.length)
          ? found
          : undefined;
      });
      for (const target of expected) {
        const source = readDocs(path.join(examples, 'microapps', target))[0];
        const stored = items.find(
          e => e.metadata.name === source.metadata.name,
        );
        expect(stored?.spec).toEqual(source.spec);
        const tier = (source.spec as any).tier;
        // no marketplace backend runs here, so no tier was approved: all are in Discover
        expect(stored?.metadata.labels).toEqual({
          'microapps.dev/tier': 'discover',
          'microapps.dev/gate-status':
            expect.stringMatching(/^(pass|warn|fail)$/),
        });
        // Without a feed, templates or cost centers configured here, some gates cannot
        // pass; in Discover that is a warning, above it blocking.
        expect(stored?.metadata.labels?.['microapps.dev/gate-status']).toBe(
          tier === 'discover' ? 'warn' : 'fail',
        );
      }
    });

    it('stores the relations of a MicroApp in both directions', async () => {
      const app = await waitFor('team-dinner-splitter', () =>
        catalog.getEntity('microapp:default/team-dinner-splitter'),
      );
      expect(relationsOf(app)).toEqual([
        'dependsOn resource:default/expenses-db',
        'ownedBy group:default/finance-apps',
        'scaffoldedFrom template:default/secure-node-webapp',
      ]);
      const group = await catalog.getEntity('group:default/finance-apps');
      expect(relationsOf(group!)).toContain(
        'ownerOf microapp:default/team-dinner-splitter',
      );
      const db = await waitFor('expenses-db reverse relation', async () => {
        const e = await catalog.getEntity('resource:default/expenses-db');
        return relationsOf(e!)?.includes(
          'dependencyOf microapp:default/team-dinner-splitter',
        )
          ? e
          : undefined;
      });
      expect(db).toBeDefined();
    });

    it('reports schema violations of a broken file as processing errors naming the field', async () => {
      const errors = catalog.processingErrors;
      await waitFor('processing errors', async () =>
        errors.some(e => e.entityRef === 'MicroApp:broken-owner') &&
        errors.some(e => e.entityRef === 'MicroApp:broken-forecast')
          ? true
          : undefined,
      );
      const forecast = errors.find(
        e => e.entityRef === 'MicroApp:broken-forecast',
      )!;
      expect(forecast.messages.join(' ')).toContain(
        'spec.tier must be one of: discover, vetted, enterprise; spec.cost.monthlyForecast must be a number >= 0',
      );
      const owner = errors.find(e => e.entityRef === 'MicroApp:broken-owner')!;
      expect(owner.messages.join(' ')).toContain('spec.owner is required');
      expect(
        await catalog.getEntity('microapp:default/broken-owner'),
      ).toBeUndefined();
      expect(
        await catalog.getEntity('microapp:default/broken-forecast'),
      ).toBeUndefined();
      // only the broken MicroApps fail; nothing else does
      expect(
        errors.every(e => e.entityRef.startsWith('MicroApp:broken-')),
      ).toBe(true);
    });

    it('ingests the upstream example entities exactly as a catalog without the module does', async () => {
      const baseline = await startCatalog({
        knex: await databases.init(databaseId),
        withModule: false,
        locations: upstreamFiles,
      });
      try {
        const upstream = upstreamFiles.flatMap(readDocs);
        expect(new Set(upstream.map(e => e.kind))).toEqual(
          new Set(['System', 'Component', 'API', 'User', 'Group', 'Resource']),
        );
        const comparable = (e: Entity) => ({
          spec: e.spec,
          metadata: { ...e.metadata, uid: undefined, etag: undefined },
          // reverse relations to MicroApps are the only ones the module may add
          relations: relationsOf(e)?.filter(r => !r.includes(' microapp:')),
        });
        const refs = upstream.map(
          e =>
            `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`,
        );
        const { getEntity } = catalog;
        for (const ref of refs) {
          const withModule = await waitFor(ref, () => getEntity(ref));
          const without = await waitFor(`${ref} in the baseline`, () =>
            baseline.getEntity(ref),
          );
          expect(comparable(withModule)).toEqual(comparable(without));
          expect(JSON.stringify(withModule.metadata)).not.toContain(
            'microapps.dev/',
          );
        }
        expect(baseline.processingErrors).toEqual([]);
      } finally {
        await baseline.stop();
      }
    });
  },
);
