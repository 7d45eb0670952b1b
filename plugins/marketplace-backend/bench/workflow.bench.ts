/* eslint-disable no-console */
// Figures of the promotion workflow: `yarn bench:workflow` (or `./scripts/bench.sh workflow`)
// from the repository root. Three parts, each on fresh databases that are dropped after:
//
// 1. sign-off latency at 1,000 and 10,000 apps with history (PostgreSQL, and SQLite): the
//    real PromotionService.signoff on DatabaseMarketplaceStore, the catalog, permission and
//    membership lookups answered in-process;
// 2. GET /api/marketplace/apps?tier=vetted at 10,000 apps: a real backend (catalog, our
//    catalog module, the marketplace backend) on PostgreSQL, over HTTP, permissions allowing
//    everything;
// 3. verifying an audit log of 100,000 entries (PostgreSQL, and SQLite).
//
// Knobs: BENCH_PARTS (signoff,list,verify), BENCH_APPS (1000,10000), BENCH_SIGNOFFS (200),
// BENCH_SQLITE (1; 0 skips SQLite), BENCH_LIST_APPS (10000), BENCH_LIST_REQUESTS (100),
// BENCH_LIST_TIMEOUT_MIN (15), BENCH_AUDIT_ENTRIES (100000), BENCH_PG_URL.
// Benchmarks measure; they never fail on a figure (targets are printed beside them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyStoredChain } from '../src/audit/AuditService';
import { DatabaseMarketplaceStore } from '../src/database/DatabaseMarketplaceStore';
import {
  BenchDatabase,
  createPgDatabase,
  createSqliteDatabase,
  databaseServiceOf,
  envNumber,
  envNumbers,
  machineLine,
  note,
  report,
  reportLatency,
  seededRandom,
  shuffle,
  summarize,
  timed,
} from './benchUtils';
import { startListBackend, vettedCount } from './listBackend';
import { seedAuditLog, seedHistory, OPEN_STAGES } from './seedHistory';
import { createSignoffServices } from './signoffServices';

const PARTS = (process.env.BENCH_PARTS ?? 'signoff,list,verify').split(',');
const SIGNOFF_APPS = envNumbers('BENCH_APPS', [1000, 10_000]);
const SIGNOFFS = envNumber('BENCH_SIGNOFFS', 200);
const WITH_SQLITE = process.env.BENCH_SQLITE !== '0';
const LIST_APPS = envNumber('BENCH_LIST_APPS', 10_000);
const LIST_REQUESTS = envNumber('BENCH_LIST_REQUESTS', 100);
const LIST_TIMEOUT_MS = envNumber('BENCH_LIST_TIMEOUT_MIN', 15) * 60_000;
const AUDIT_ENTRIES = envNumber('BENCH_AUDIT_ENTRIES', 100_000);
const WARMUP = 20;

// Targets proposed with this bench (docs/DESIGN.md sets none): a sign-off a person waits
// for, a list page the portal renders, and a verify an auditor runs on demand.
const TARGET_SIGNOFF_P95 = '<= 100 ms';
const TARGET_LIST_P95 = '<= 500 ms';
const TARGET_VERIFY_100K = '<= 10 s';

const fmt = (n: number) => n.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** An approval of `stage`; the budget stage's carries the approved monthly budget it requires. */
function approval(stage: string, comment: string) {
  return {
    stage,
    decision: 'approve' as const,
    comment,
    ...(stage === 'budget' && { budget: 50 }),
  };
}

async function databases(
  tag: string,
): Promise<Array<() => Promise<BenchDatabase>>> {
  const makers = [() => createPgDatabase(tag)];
  if (WITH_SQLITE) {
    makers.push(() =>
      createSqliteDatabase(
        path.join(
          os.tmpdir(),
          `mpbench-${tag}-${process.pid}-${Date.now()}.sqlite`,
        ),
      ),
    );
  }
  return makers;
}

/** 1. Sign-off latency at `apps` apps with history. */
async function signoffPart(db: BenchDatabase, apps: number) {
  const isPostgres = db.label === 'PostgreSQL';
  const store = await DatabaseMarketplaceStore.create({
    database: databaseServiceOf(db.knex),
  });
  const seeded = await timed(() => seedHistory(db.knex, apps, { isPostgres }));
  const s = seeded.value;
  console.log(`\n[${db.label}, ${fmt(apps)} apps]`);
  note(
    `seeded ${fmt(s.apps)} apps, ${fmt(s.gateRuns)} gate runs, ${fmt(
      s.promotions,
    )} promotions (${fmt(s.apps)} open), ${fmt(s.signoffs)} sign-offs, ${fmt(
      s.auditEntries,
    )} audit entries in ${seconds(seeded.ms)}`,
  );
  const before = await timed(() => verifyStoredChain(store));
  note(
    `audit chain after seeding: ok=${before.value.ok}, ${fmt(
      before.value.checked,
    )} entries checked in ${seconds(before.ms)}${
      before.value.problem ? ` (${before.value.problem})` : ''
    }`,
  );

  const { promotions, reviewer } = createSignoffServices(store);
  const random = seededRandom(apps * 7919);
  const order = shuffle(
    Array.from({ length: apps }, (_, i) => i),
    random,
  );
  const comment = 'checked in the bench';
  // warm-up (not counted): JIT, the pool's connections, the statement caches
  for (const i of order.slice(0, WARMUP)) {
    await promotions.signoff(
      s.openPromotions[i],
      approval(OPEN_STAGES[0], comment),
      reviewer,
    );
  }
  const chosen = order.slice(
    WARMUP,
    WARMUP + Math.ceil(SIGNOFFS / OPEN_STAGES.length),
  );
  const tasks = shuffle(
    chosen.flatMap(i => OPEN_STAGES.map(stage => ({ i, stage }))),
    random,
  ).slice(0, SIGNOFFS);
  const all: number[] = [];
  const intermediate: number[] = [];
  const completing: number[] = [];
  for (const { i, stage } of tasks) {
    const { ms, value } = await timed(() =>
      promotions.signoff(
        s.openPromotions[i],
        approval(stage, comment),
        reviewer,
      ),
    );
    all.push(ms);
    (value.status === 'approved' ? completing : intermediate).push(ms);
  }
  reportLatency(
    `sign-off, ${fmt(apps)} apps, ${db.label}`,
    all,
    `p95 ${TARGET_SIGNOFF_P95}`,
  );
  reportLatency(`  of which intermediate stages`, intermediate);
  reportLatency(`  of which the last stage (tier change)`, completing);
  const after = await verifyStoredChain(store);
  note(
    `audit chain after the sign-offs: ok=${after.ok}, ${fmt(
      after.checked,
    )} entries (${fmt(s.auditEntries)} + ${WARMUP} warm-up + ${fmt(
      tasks.length,
    )} measured)`,
  );
  return { seedMs: seeded.ms, p95: summarize(all).p95 };
}

/**
 * Sign-offs on a throwaway database, not counted: without it the first N measured carries
 * the process's JIT and driver warm-up (its p50 came out ~2 ms higher whichever N ran first).
 */
async function warmProcess() {
  for (const make of await databases('warmup')) {
    const db = await make();
    try {
      const store = await DatabaseMarketplaceStore.create({
        database: databaseServiceOf(db.knex),
      });
      const seeded = await seedHistory(db.knex, 40, {
        isPostgres: db.label === 'PostgreSQL',
      });
      const { promotions, reviewer } = createSignoffServices(store);
      for (const id of seeded.openPromotions) {
        for (const stage of OPEN_STAGES) {
          await promotions.signoff(id, approval(stage, 'warm-up'), reviewer);
        }
      }
    } finally {
      await db.drop();
    }
  }
}

/** 2. GET /apps?tier=vetted over HTTP on a real backend. */
async function listPart() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mpbench-list-'));
  const expectedVetted = vettedCount(LIST_APPS);
  const started = Date.now();
  const backend = await startListBackend({ dir, apps: LIST_APPS });
  try {
    const startedMs = Date.now() - started;
    note(
      `backend started on PostgreSQL in ${seconds(
        startedMs,
      )}; waiting for the catalog to process ${fmt(LIST_APPS)} MicroApps (${fmt(
        expectedVetted,
      )} labelled vetted)`,
    );
    const count = async (filter: string) => {
      const res = await backend.get(
        `/api/catalog/entities/by-query?filter=${encodeURIComponent(
          filter,
        )}&limit=1`,
      );
      return Number(res.body.totalItems ?? 0);
    };
    let total = 0;
    let vetted = 0;
    let lastNote = Date.now();
    const processStart = Date.now();
    for (;;) {
      total = await count('kind=microapp');
      vetted = await count(
        'kind=microapp,metadata.labels.microapps.dev/tier=vetted',
      );
      if (total >= LIST_APPS && vetted >= expectedVetted) break;
      if (Date.now() - processStart > LIST_TIMEOUT_MS) break;
      if (Date.now() - lastNote > 60_000) {
        lastNote = Date.now();
        note(
          `  ${fmt(total)} processed, ${fmt(vetted)} vetted after ${seconds(
            Date.now() - processStart,
          )}`,
        );
      }
      await new Promise(r => setTimeout(r, 2000));
    }
    const processMs = Date.now() - processStart;
    const complete = total >= LIST_APPS && vetted >= expectedVetted;
    report(
      `catalog: ${fmt(total)} MicroApps processed and stitched in`,
      processMs / 1000,
      's',
    );
    report(
      `catalog: processing rate (first pass)`,
      (total / processMs) * 1000,
      'apps/s',
    );
    if (!complete) {
      note(
        `NOT COMPLETE after ${seconds(processMs)}: measuring at ${fmt(
          total,
        )} apps, ${fmt(vetted)} vetted`,
      );
    }

    const url = '/api/marketplace/apps?tier=vetted&limit=50';
    const check = <R extends { status: number; body: any }>(res: R): R => {
      if (res.status !== 200) {
        throw new Error(
          `GET ${url}: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      const wrong = res.body.items.filter((a: any) => a.tier !== 'vetted');
      if (wrong.length) throw new Error(`non-vetted apps in the answer`);
      return res;
    };
    for (let k = 0; k < 5; k++) check(await backend.get(url));
    const page1: number[] = [];
    let cursor: string | undefined;
    let items = 0;
    for (let k = 0; k < LIST_REQUESTS; k++) {
      const res = check(await backend.get(url));
      page1.push(res.ms);
      cursor = res.body.nextCursor;
      items = res.body.items.length;
    }
    reportLatency(
      `GET /apps?tier=vetted&limit=50, ${fmt(total)} apps`,
      page1,
      `p95 ${TARGET_LIST_P95}`,
    );
    note(
      `${items} items per page, nextCursor ${cursor ? 'present' : 'absent'}`,
    );
    if (cursor) {
      const url2 = `/api/marketplace/apps?cursor=${encodeURIComponent(
        cursor,
      )}&limit=50`;
      const page2: number[] = [];
      let first: string | undefined;
      for (let k = 0; k < LIST_REQUESTS; k++) {
        const res = check(await backend.get(url2));
        page2.push(res.ms);
        first = res.body.items[0]?.name;
      }
      reportLatency(
        `  page 2 (with the cursor)`,
        page2,
        `p95 ${TARGET_LIST_P95}`,
      );
      note(`page 2 starts at ${first}`);
    }
    // the same query straight to the catalog: what the marketplace adds on top
    const direct: number[] = [];
    const catalogUrl = `/api/catalog/entities/by-query?filter=${encodeURIComponent(
      'kind=microapp,metadata.labels.microapps.dev/tier=vetted',
    )}&limit=50&orderField=metadata.name,asc&totalItems=exclude`;
    for (let k = 0; k < LIST_REQUESTS; k++) {
      const res = await backend.get(catalogUrl);
      if (res.status !== 200) throw new Error(`catalog: ${res.status}`);
      direct.push(res.ms);
    }
    reportLatency(`  for comparison: the catalog's by-query alone`, direct);
  } finally {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** 3. Verifying a log of AUDIT_ENTRIES entries. */
async function verifyPart(db: BenchDatabase) {
  const store = await DatabaseMarketplaceStore.create({
    database: databaseServiceOf(db.knex),
  });
  const seeded = await timed(() => seedAuditLog(db.knex, AUDIT_ENTRIES));
  note(
    `${db.label}: seeded ${fmt(AUDIT_ENTRIES)} chained entries in ${seconds(
      seeded.ms,
    )}`,
  );
  const runs: number[] = [];
  let verdict;
  for (let k = 0; k < 3; k++) {
    const run = await timed(() => verifyStoredChain(store));
    runs.push(run.ms);
    verdict = run.value;
  }
  const first = runs[0];
  const median = [...runs].sort((a, b) => a - b)[1];
  report(
    `verify ${fmt(AUDIT_ENTRIES)} entries, ${db.label} (first run)`,
    first / 1000,
    's',
    TARGET_VERIFY_100K,
  );
  report(
    `verify ${fmt(AUDIT_ENTRIES)} entries, ${db.label} (median of 3)`,
    median / 1000,
    's',
  );
  report(
    `  throughput (median run)`,
    (AUDIT_ENTRIES / median) * 1000,
    'entries/s',
  );
  note(
    `verdict: ok=${verdict!.ok}, checked ${fmt(
      verdict!.checked,
    )}, head seq ${fmt(verdict!.head.seq)}${
      verdict!.problem ? `, ${verdict!.problem}` : ''
    }`,
  );
}

async function main() {
  // the list part's backend logs through the root logger; keep it to warnings
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  console.log(`Workflow benchmarks (${machineLine()})`);

  if (PARTS.includes('signoff')) {
    const t = Date.now();
    console.log(
      `\n1. Sign-off latency: PromotionService.signoff on DatabaseMarketplaceStore`,
    );
    note(
      `In-process: no HTTP, and the catalog, permission, membership, auditor and notification`,
    );
    note(
      `services are stubs that answer at once (each is a network round trip in production whose`,
    );
    note(
      `cost depends on the deployment); measured is the sign-off's own work: its store reads,`,
    );
    note(
      `the checks, one transaction under the app's and the audit head's locks, and the steps`,
    );
    note(
      `after commit. One sign-off at a time. Not counted: 200 sign-offs on a throwaway database`,
    );
    note(
      `per database kind (JIT and driver warm-up), and ${WARMUP} per run before its measurement.`,
    );
    note(
      `Per app: 3 gate runs, 2 approved promotions (3 sign-offs each), a demotion, and an open`,
    );
    note(
      `request to Enterprise with ${
        OPEN_STAGES.length
      } human stages; ${SIGNOFFS} sign-offs over ${Math.ceil(
        SIGNOFFS / OPEN_STAGES.length,
      )} random apps, every stage of each, in random order.`,
    );
    await warmProcess();
    for (const make of await databases('signoff')) {
      for (const apps of SIGNOFF_APPS) {
        const db = await make();
        try {
          await signoffPart(db, apps);
        } finally {
          await db.drop();
        }
      }
    }
    note(`(part 1 took ${seconds(Date.now() - t)})`);
  }

  if (PARTS.includes('list')) {
    const t = Date.now();
    console.log(
      `\n2. GET /api/marketplace/apps?tier=vetted at ${fmt(
        LIST_APPS,
      )} apps (PostgreSQL, over HTTP)`,
    );
    note(
      `Real catalog + our catalog module + marketplace backend; permissions allow everything`,
    );
    note(
      `(a permissions service that answers ALLOW), so the figure is the query's, not a policy's.`,
    );
    note(
      `The route asks the catalog for MicroApps labelled microapps.dev/tier=vetted, then reads`,
    );
    note(`the marketplace's records of the page. Sequential requests.`);
    await listPart();
    note(`(part 2 took ${seconds(Date.now() - t)})`);
  }

  if (PARTS.includes('verify')) {
    const t = Date.now();
    console.log(
      `\n3. Audit verify (verifyStoredChain) of ${fmt(AUDIT_ENTRIES)} entries`,
    );
    for (const make of await databases('audit')) {
      const db = await make();
      try {
        await verifyPart(db);
      } finally {
        await db.drop();
      }
    }
    note(`(part 3 took ${seconds(Date.now() - t)})`);
  }
}

main().then(
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
