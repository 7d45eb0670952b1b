/* eslint-disable no-console */
// Load of the marketplace on PostgreSQL: `yarn bench:load` (or `./scripts/bench.sh load`) from
// the repository root. The driver (this process) seeds the databases, starts the real backend
// (catalog, scaffolder entity model, our catalog module, the marketplace plugin, the
// permission backend with our governance policy; mock auth, no-op notifications) as a child
// process, loads it with autocannon and samples the child's memory from /proc every second:
//
// 1. seed: BENCH_LOAD_APPS MicroApps as YAML files read by the real catalog, their records
//    and gate runs, the open requests of the sign-off pool and BENCH_LOAD_AUDIT chained audit
//    entries straight into the marketplace's database; then the catalog processes them all;
// 2. list: GET /api/marketplace/apps with rotating filters (limit=50) for BENCH_LOAD_DURATION
//    s as a non-admin (the target), then as a reviewer and as an admin for
//    BENCH_LOAD_KIND_DURATION s each;
// 3. sign-off: BENCH_LOAD_SIGNOFFS distinct approvals by the reviewers allowed to sign them;
// 4. checks: the audit chain verifies (GET /audit/verify as admin) and the stored sign-offs
//    equal the 2xx answers;
// 5. memory: a fresh backend processes BENCH_LOAD_GATED_APPS MicroApps with SBOMs (all gates)
//    while its peak resident memory is read.
//
// Knobs: BENCH_LOAD_APPS (100000), BENCH_LOAD_AUDIT (1000000), BENCH_LOAD_DURATION (60),
// BENCH_LOAD_KIND_DURATION (20; 0 skips the reviewer and admin runs),
// BENCH_LOAD_BASELINE_DURATION (10: one client alone before the load; 0 skips),
// BENCH_LOAD_LIST_CONNECTIONS (50), BENCH_LOAD_SIGNOFFS (5000, at most half the apps),
// BENCH_LOAD_SIGNOFF_CONNECTIONS (20), BENCH_LOAD_GATED_APPS (10000),
// BENCH_LOAD_PHASES (list,signoff,memory), BENCH_LOAD_ANALYZE (1: ANALYZE the databases
// once the catalog processed the apps, as autovacuum would later; 0 leaves it to autovacuum), BENCH_LOAD_TIMEOUT_MIN (240, per catalog wait),
// BENCH_LOAD_KEEP (1 keeps the catalog's database and the app files, and reuses them when
// the next run has the same BENCH_LOAD_APPS and BENCH_LOAD_SIGNOFFS: the slow processing is
// skipped; the marketplace's database is seeded afresh each run, as the sign-offs use up its
// open requests), BENCH_PG_URL.
// Targets: list p95 < 100 ms, sign-off p95 < 50 ms, 0 errors, peak RSS < 1.5 GB.
// Benchmarks measure; they never fail on a figure (targets are printed beside them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { DEFAULT_PROMOTION_STAGES } from '@microapps/plugin-marketplace-common';
import {
  dropPgDatabases,
  envNumber,
  machineLine,
  note,
  randomSuffix,
} from '../benchUtils';
import { BASE_LOCATIONS, freePort } from '../backendParts';
import { writeFleetFiles } from './appFiles';
import {
  killRunningBackends,
  MemorySampler,
  startBackendChild,
} from './backendChild';
import {
  analyzeDatabases,
  createMarketplaceDatabase,
  pgDatabaseExists,
  waitForQuietDatabases,
} from './benchDatabases';
import { signoffPool, tierCounts } from './fleet';
import { checkFilters, LIST_USERS, runListPhase } from './listPhase';
import { reportPhase } from './loadPhase';
import { runMemoryPhase } from './memoryPhase';
import { seedMarketplace } from './seedMarketplace';
import { waitForCatalog } from './waitForCatalog';
import {
  runSignoffPhase,
  signoffTasks,
  signSequentially,
  waitForPoolGates,
} from './signoffPhase';

const APPS = envNumber('BENCH_LOAD_APPS', 100_000);
const AUDIT = envNumber('BENCH_LOAD_AUDIT', 1_000_000);
const DURATION = envNumber('BENCH_LOAD_DURATION', 60);
const KIND_DURATION = envNumber('BENCH_LOAD_KIND_DURATION', 20);
const LIST_CONNECTIONS = envNumber('BENCH_LOAD_LIST_CONNECTIONS', 50);
const BASELINE_DURATION = envNumber('BENCH_LOAD_BASELINE_DURATION', 10);
// a third of the apps can hold a request (Vetted, not hr-apps), five stages each
const SIGNOFFS = envNumber(
  'BENCH_LOAD_SIGNOFFS',
  Math.min(5000, Math.floor(APPS / 2)),
);
const SIGNOFF_CONNECTIONS = envNumber('BENCH_LOAD_SIGNOFF_CONNECTIONS', 20);
const GATED_APPS = envNumber('BENCH_LOAD_GATED_APPS', 10_000);
const TIMEOUT_MS = envNumber('BENCH_LOAD_TIMEOUT_MIN', 240) * 60_000;
const PHASES = (process.env.BENCH_LOAD_PHASES ?? 'list,signoff,memory').split(
  ',',
);
const KEEP = process.env.BENCH_LOAD_KEEP === '1';
const ANALYZE = process.env.BENCH_LOAD_ANALYZE !== '0';
const WARMUP_SIGNOFFS = 20;
/** Marks a kept folder whose app files were all written. */
const WRITTEN = '.written';

const TARGET_LIST_P95_MS = 100;
const TARGET_SIGNOFF_P95_MS = 50;
const TARGET_RSS_MB = 1536;

const HUMAN_STAGES = DEFAULT_PROMOTION_STAGES.enterprise.length - 1;
const fmt = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perThousand = (ms: number, n: number) =>
  `${((ms / 1000 / Math.max(1, n)) * 1000).toFixed(1)} s per 1,000 apps`;

/** What an exit, normal or not, must remove. */
const cleanup = {
  prefixes: new Set<string>(),
  dirs: new Set<string>(),
  knexes: new Set<Knex>(),
};

async function cleanUp() {
  killRunningBackends();
  for (const knex of cleanup.knexes) await knex.destroy().catch(() => {});
  for (const prefix of cleanup.prefixes) {
    await dropPgDatabases(prefix).catch(e =>
      console.error(`could not drop ${prefix}*: ${e}`),
    );
  }
  for (const dir of cleanup.dirs)
    fs.rmSync(dir, { recursive: true, force: true });
}

/** Lets the backend finish what the last phase left in flight before the next one starts. */
async function settle(prefix: string) {
  const ms = await waitForQuietDatabases(prefix);
  if (ms > 3000)
    note(
      `(waited ${seconds(ms)} for the backend to finish abandoned requests)`,
    );
}

function heading(text: string) {
  console.log(`\n${text}`);
}

async function main() {
  const promotions = Math.ceil((SIGNOFFS + WARMUP_SIGNOFFS) / HUMAN_STAGES);
  console.log(`Marketplace load (${machineLine()})`);
  note(
    `${fmt(APPS)} apps, ${fmt(AUDIT)} audit entries, ${fmt(
      promotions,
    )} open requests (${fmt(SIGNOFFS)} sign-offs), ${fmt(
      GATED_APPS,
    )} gated apps; phases ${PHASES.join(', ')}${
      KEEP ? '; BENCH_LOAD_KEEP=1' : ''
    }`,
  );

  if (PHASES.includes('list') || PHASES.includes('signoff')) {
    await mainBackendPhases(promotions);
  }
  if (PHASES.includes('memory')) {
    heading(
      `5. Memory while the catalog processes ${fmt(
        GATED_APPS,
      )} MicroApps with gates`,
    );
    const prefix = `mpbload_mem_${randomSuffix()}_`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpbench-load-mem-'));
    cleanup.prefixes.add(prefix);
    cleanup.dirs.add(dir);
    await runMemoryPhase({
      apps: GATED_APPS,
      prefix,
      dir,
      timeoutMs: TIMEOUT_MS,
      targetMb: TARGET_RSS_MB,
    });
  }
}

async function mainBackendPhases(promotions: number) {
  const keepKey = `${APPS}_${promotions}`;
  const prefix = KEEP
    ? `mpbload_keep_${keepKey}_`
    : `mpbload_${randomSuffix()}_`;
  const dir = KEEP
    ? path.join(os.tmpdir(), `mpbench-load-keep-${keepKey}`)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'mpbench-load-'));
  if (!KEEP) {
    cleanup.prefixes.add(prefix);
    cleanup.dirs.add(dir);
  }
  const pool = signoffPool(APPS, promotions);

  heading(`1. Seeding (PostgreSQL, databases ${prefix}*)`);
  const reuse =
    KEEP &&
    fs.existsSync(path.join(dir, WRITTEN)) &&
    (await pgDatabaseExists(`${prefix}catalog`));
  let files: string[];
  if (reuse) {
    files = fs
      .readdirSync(dir)
      .filter(f => /^apps-\d+\.yaml$/.test(f))
      .map(f => path.join(dir, f));
    note(
      `reusing the kept catalog ${prefix}catalog and ${files.length} app files in ${dir}`,
    );
  } else {
    if (KEEP) await dropPgDatabases(prefix);
    fs.mkdirSync(dir, { recursive: true });
    const t = Date.now();
    files = writeFleetFiles(dir, APPS, pool);
    // a run stopped while writing must not leave files that look reusable
    fs.writeFileSync(path.join(dir, WRITTEN), '');
    note(
      `wrote ${fmt(APPS)} MicroApps into ${
        files.length
      } YAML files in ${seconds(Date.now() - t)}`,
    );
  }
  const seedStart = Date.now();
  const knex = await createMarketplaceDatabase(prefix);
  cleanup.knexes.add(knex);
  const seeded = await seedMarketplace(knex, {
    apps: APPS,
    auditEntries: AUDIT,
    pool,
  });
  const seedMs = Date.now() - seedStart;
  note(
    `marketplace database: ${fmt(APPS)} app records, ${fmt(
      seeded.gateRuns,
    )} gate runs, ${fmt(seeded.promotions.length)} open requests, ${fmt(
      seeded.auditEntries,
    )} audit entries in ${seconds(seedMs)}`,
  );
  const older = Math.max(
    0,
    seeded.auditEntries - (APPS + 2 * seeded.promotions.length),
  );
  note(
    `  of which ${fmt(older)} older audit entries in ${seconds(
      seeded.olderMs,
    )} (${((seeded.olderMs / 1000 / Math.max(1, older)) * 100_000).toFixed(
      1,
    )} s per 100,000), the apps with their runs, requests and entries in ${seconds(
      seeded.appsMs,
    )} (${perThousand(seeded.appsMs, APPS)})`,
  );

  const startMs = Date.now();
  const backend = await startBackendChild({
    prefix,
    port: await freePort(),
    locations: [...BASE_LOCATIONS, ...files],
  });
  note(
    `backend pid ${backend.pid} listening on ${backend.baseUrl} after ${seconds(
      Date.now() - startMs,
    )}`,
  );
  try {
    if (reuse) {
      // the last run's approvals moved apps of the pool to Enterprise; the fresh seeding says
      // Vetted again, so those apps are reprocessed to carry that label
      for (const p of seeded.promotions) {
        await backend.request('ada', '/api/catalog/refresh', {
          method: 'POST',
          body: { entityRef: p.entityRef },
        });
      }
    }
    const processed = await waitForCatalog(backend, {
      apps: APPS,
      tiers: tierCounts(APPS),
      timeoutMs: TIMEOUT_MS,
      onProgress: () =>
        `backend RSS peak ${MemorySampler.mb(backend.memory.peakRss).toFixed(
          0,
        )} MB`,
    });
    note(
      `catalog: ${fmt(
        processed.processed,
      )} MicroApps processed with gates and labelled in ${seconds(
        processed.ms,
      )}${
        reuse
          ? ' (kept: refreshed pool only)'
          : ` (${perThousand(processed.ms, APPS)})`
      }${processed.complete ? '' : ' — NOT COMPLETE, measuring anyway'}`,
    );
    if (ANALYZE) {
      const t = Date.now();
      await analyzeDatabases(prefix);
      note(
        `ANALYZE of the ${prefix}* databases in ${seconds(
          Date.now() - t,
        )} (what autovacuum does some minutes later)`,
      );
    } else {
      note('no ANALYZE: planner statistics as autovacuum left them');
    }
    note(
      `backend peak RSS so far ${MemorySampler.mb(
        backend.memory.peakRss,
      ).toFixed(0)} MB`,
    );

    if (PHASES.includes('list')) {
      heading(
        `2. GET /api/marketplace/apps under load (${LIST_CONNECTIONS} connections)`,
      );
      await checkFilters(backend, 'casey');
      if (BASELINE_DURATION) {
        // one client alone: the cost of a request, without queueing behind 49 others
        const baseline = await runListPhase({
          backend,
          ...LIST_USERS[0],
          connections: 1,
          seconds: BASELINE_DURATION,
        });
        reportPhase(baseline);
      }
      for (const [k, who] of LIST_USERS.entries()) {
        const secs = k === 0 ? DURATION : KIND_DURATION;
        if (!secs) continue;
        await settle(prefix);
        const result = await runListPhase({
          backend,
          ...who,
          connections: LIST_CONNECTIONS,
          seconds: secs,
        });
        reportPhase(
          result,
          k === 0 ? { p95Ms: TARGET_LIST_P95_MS, errors: 0 } : {},
        );
      }
    }

    let stored = 0;
    let expected = 0;
    if (PHASES.includes('signoff')) {
      heading(`3. Sign-offs under load (${SIGNOFF_CONNECTIONS} connections)`);
      const tasks = signoffTasks(seeded.promotions.map(p => p.id));
      await waitForPoolGates(
        backend,
        knex,
        seeded.promotions.map(p => p.entityRef),
      );
      await settle(prefix);
      const warm = await signSequentially(
        backend,
        tasks.slice(0, WARMUP_SIGNOFFS),
      );
      note(
        `warm-up: ${warm} of ${WARMUP_SIGNOFFS} sign-offs one at a time (not measured)`,
      );
      const result = await runSignoffPhase({
        backend,
        tasks: tasks.slice(WARMUP_SIGNOFFS, WARMUP_SIGNOFFS + SIGNOFFS),
        connections: SIGNOFF_CONNECTIONS,
      });
      reportPhase(result, { p95Ms: TARGET_SIGNOFF_P95_MS, errors: 0 });
      const ok2xx = Object.entries(result.statuses)
        .filter(([s]) => Number(s) >= 200 && Number(s) < 300)
        .reduce((n, [, c]) => n + c, 0);
      expected = warm + ok2xx;
      stored = Number((await knex('signoffs').count({ n: '*' }))[0].n);
    }

    await settle(prefix);
    heading('4. Checks after the load');
    const verify = await backend.request(
      'ada',
      '/api/marketplace/audit/verify',
    );
    note(
      `GET /audit/verify as admin: ${verify.status}, ok=${
        verify.body.ok
      }, ${fmt(verify.body.checked ?? 0)} entries checked in ${seconds(
        verify.ms,
      )}${verify.body.problem ? ` (${verify.body.problem})` : ''}`,
    );
    if (PHASES.includes('signoff')) {
      note(
        `stored sign-offs ${fmt(stored)}, 2xx answers ${fmt(
          expected,
        )} (warm-up included): ${stored === expected ? 'equal' : 'DIFFERENT'}`,
      );
    }
    backend.memory.sample();
    console.log(
      `  main backend memory: peak RSS sampled ${MemorySampler.mb(
        backend.memory.peakRss,
      ).toFixed(0)} MB, VmHWM ${MemorySampler.mb(backend.memory.hwm).toFixed(
        0,
      )} MB (over processing and load)`,
    );
  } finally {
    await backend.stop();
    await knex.destroy();
    cleanup.knexes.delete(knex);
  }
}

let exiting = false;
async function exit(code: number) {
  if (exiting) return;
  exiting = true;
  await cleanUp();
  process.exit(code);
}
process.on('SIGINT', () => exit(130));
process.on('SIGTERM', () => exit(143));

main().then(
  () => exit(0),
  e => {
    console.error(e);
    exit(1);
  },
);
