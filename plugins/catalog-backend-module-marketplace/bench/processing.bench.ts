/* eslint-disable no-console */
// Catalog processing of 1,000 MicroApps with this module (all gates, the marketplace backend
// storing runs) against the same 1,000 with the module removed, in one run. Without the
// module nothing recognises the kind, so the baselines add a processor that accepts it:
// once bare, and once emitting the owner and template relations any kind emits (as the
// Component kind does), so that the main ratio charges the module for its governance work.
//
// Each backend processes every entity once (cold: SBOMs parsed, feed matched, caches
// filled), then keeps reprocessing them as fast as the catalog engine goes; the steady-state
// rate over a fixed window is the warm figure. `yarn bench:processing` from the repo root.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { report } from './benchContext';

const REPO = path.resolve(__dirname, '../../..');
const APPS = Number(process.env.BENCH_APPS ?? 1000);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 20_000);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);
const SBOMS = [
  'cern-lhc-vdm-editor.cdx.json',
  'laravel-7.12.0.cdx-1.4.json',
  'proton-bridge-1.8.0.cdx.json',
];

function writeApps(dir: string) {
  for (const sbom of [...SBOMS, 'juice-shop-14.1.1.cdx-1.4.json']) {
    fs.copyFileSync(
      path.join(REPO, 'examples/sboms', sbom),
      path.join(dir, sbom),
    );
  }
  const tiers = ['discover', 'vetted', 'enterprise'];
  const docs = Array.from({ length: APPS }, (_, i) => {
    // a quarter without SBOM, one in fifty with the large Juice Shop SBOM
    const sbom = i % 50 === 0 ? 'juice-shop-14.1.1.cdx-1.4.json' : SBOMS[i % 4];
    return {
      apiVersion: 'microapps.dev/v1alpha1',
      kind: 'MicroApp',
      metadata: {
        name: `bench-app-${i}`,
        ...(sbom && { annotations: { 'microapps.dev/sbom': `./${sbom}` } }),
      },
      spec: {
        type: 'web-app',
        owner: 'group:default/finance-apps',
        tier: tiers[i % 3],
        template: 'template:default/secure-node-webapp',
        support: {
          contact: 'a@example.com',
          roster: 'group:default/finance-apps',
          slaTier: 'S2',
          runbook: 'https://wiki.example.com/rb',
        },
        data: { classification: 'internal', residency: ['eu'] },
        permissions: [
          { scope: 'expenses.read', justification: 'reads expenses' },
        ],
        cost: { center: 'CC-4711', monthlyForecast: 10 + (i % 7) },
      },
    };
  });
  fs.writeFileSync(
    path.join(dir, 'apps.yaml'),
    docs.map(d => stringify(d)).join('---\n'),
  );
}

async function measure(options: {
  mode: 'module' | 'bare-kind' | 'kind-with-relations';
  dir: string;
  port: number;
}) {
  const processedAt = new Map<string, number>();
  let processed = 0;
  const counter = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-counter',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addProcessor({
            getProcessorName: () => 'BenchCounter',
            async postProcessEntity(entity: Entity) {
              if (entity.kind === 'MicroApp') {
                processed++;
                processedAt.set(entity.metadata.name, Date.now());
              }
              return entity;
            },
          });
        },
      });
    },
  });
  const bareKind = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-bare-kind',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addProcessor({
            getProcessorName: () => 'BareMicroAppKind',
            validateEntityKind: async (e: Entity) => e.kind === 'MicroApp',
            async postProcessEntity(entity: Entity, _location, emit) {
              // what any kind's processor does (Component too): relations to owner and template
              if (
                options.mode === 'kind-with-relations' &&
                entity.kind === 'MicroApp'
              ) {
                const self = {
                  kind: 'MicroApp',
                  namespace: 'default',
                  name: entity.metadata.name,
                };
                const spec = entity.spec as { owner: string; template: string };
                for (const [ref, type, reverse] of [
                  [spec.owner, 'ownedBy', 'ownerOf'],
                  [spec.template, 'scaffoldedFrom', 'scaffolderOf'],
                ]) {
                  const target = parseEntityRef(ref);
                  emit(
                    processingResult.relation({ source: self, type, target }),
                  );
                  emit(
                    processingResult.relation({
                      source: target,
                      type: reverse,
                      target: self,
                    }),
                  );
                }
              }
              return entity;
            },
          });
        },
      });
    },
  });
  const appConfig = new ConfigReader({
    backend: {
      baseUrl: `http://localhost:${options.port}`,
      listen: { port: options.port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
    },
    catalog: {
      processingInterval: { seconds: 1 },
      rules: [{ allow: ['MicroApp', 'Template', 'Location', 'User', 'Group'] }],
      locations: [
        { type: 'file', target: path.join(REPO, 'examples/org.yaml') },
        { type: 'file', target: path.join(REPO, 'templates/all.yaml') },
        { type: 'file', target: path.join(options.dir, 'apps.yaml') },
      ],
    },
    marketplace: {
      cost: { centers: ['CC-4711'] },
      gates: {
        vulnerabilities: { feed: path.join(REPO, 'examples/advisories') },
      },
      policy: { packs: [path.join(REPO, 'examples/policies/governance.yaml')] },
    },
  });

  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => appConfig,
    }),
  );
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(
    import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
  );
  backend.add(counter);
  if (options.mode === 'module') {
    backend.add(import('../src'));
    backend.add(import('@microapps/plugin-marketplace-backend'));
  } else {
    backend.add(bareKind);
  }
  const started = Date.now();
  await backend.start();

  // cold: every app processed once
  while (processedAt.size < APPS) {
    await new Promise(r => setTimeout(r, 200));
    if (Date.now() - started > 15 * 60_000)
      throw new Error('cold pass took over 15 minutes');
  }
  const coldMs = Date.now() - started;
  // let the second pass settle: apps processed before their template or the feed was
  // loaded change their results once more, which is start-up, not steady state
  await new Promise(r => setTimeout(r, SETTLE_MS));

  // warm: steady-state processing rate over the window
  const profile = process.env.BENCH_PROFILE && (await startProfile());
  const before = processed;
  await new Promise(r => setTimeout(r, WINDOW_MS));
  const rate = ((processed - before) / WINDOW_MS) * 1000;
  if (profile)
    await profile.stop(
      `${process.env.BENCH_PROFILE}-${options.mode}.cpuprofile`,
    );
  const rssMb = process.memoryUsage().rss / 1024 / 1024;
  await backend.stop();
  return { coldMs, rate, rssMb };
}

/** `BENCH_PROFILE=/tmp/x` writes a CPU profile of each warm window, for chrome://inspect. */
async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main() {
  console.log(
    `Catalog processing of ${APPS} MicroApps (Node ${process.version}, window ${
      WINDOW_MS / 1000
    } s)\n`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marketplace-bench-'));
  try {
    writeApps(dir);
    if (process.env.BENCH_ONLY === 'with') {
      // for profiling the module alone: `BENCH_ONLY=with node --cpu-prof ...`
      const only = await measure({ mode: 'module', dir, port: 7182 });
      report('with the module: warm processing rate', only.rate, 'apps/s');
      return;
    }
    const bare = await measure({ mode: 'bare-kind', dir, port: 7181 });
    report(
      'module removed (kind only): first pass over all apps',
      bare.coldMs / 1000,
      's',
    );
    report(
      'module removed (kind only): warm processing rate',
      bare.rate,
      'apps/s',
    );
    const related = await measure({
      mode: 'kind-with-relations',
      dir,
      port: 7183,
    });
    report(
      'module removed (kind + owner/template relations): first pass',
      related.coldMs / 1000,
      's',
    );
    report(
      'module removed (kind + owner/template relations): warm rate',
      related.rate,
      'apps/s',
    );
    const withModule = await measure({ mode: 'module', dir, port: 7182 });
    report(
      'with the module: first pass (cold caches)',
      withModule.coldMs / 1000,
      's',
    );
    report('with the module: warm processing rate', withModule.rate, 'apps/s');
    report(
      'warm processing time ratio, module / kind + relations',
      related.rate / withModule.rate,
      'x',
      '<= 1.3',
    );
    report(
      'warm processing time ratio, module / kind only',
      bare.rate / withModule.rate,
      'x',
    );
    report(
      'first pass time ratio, module / kind + relations',
      withModule.coldMs / related.coldMs,
      'x',
    );
    report('resident memory after the three runs', withModule.rssMb, 'MB');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
