/* eslint-disable no-console */
// A scheduled job killed mid-run, then run again: the Discover expiry job over many apps
// (a transaction per app: warning or expiry, its audit entry; the notification after the
// commit), each run in a child process on the private PostgreSQL cluster:
//
// - clean: one run to completion on a fresh seeded database;
// - killed: the same seed in another database, the run SIGKILLed once it has written part
//   of its work, then run again to completion.
//
// Both databases must then hold the same rows (apps, warnings, audit entries, once each),
// both audit chains verify, no notification was sent twice, and a further run of the
// completed job changes nothing. Knobs: FAULTS_JOB_APPS (1,500: more than one page of
// 1,000 candidates, so the kill can land in the second page and the re-run must page on).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { verifyStoredChain } from '../src/audit/AuditService';
import { DatabaseMarketplaceStore } from '../src/database/DatabaseMarketplaceStore';
import {
  check,
  faultTmpDir,
  cleanupOnSignal,
  figure,
  runFaults,
  waitFor,
} from './faultUtils';
import { PgCluster } from './pgCluster';

const APPS = Number(process.env.FAULTS_JOB_APPS ?? 1500);
const DAY = 86_400_000;
/** The job's clock, fixed so that both databases see the same run. */
const NOW = new Date('2026-12-01T12:00:00.000Z');
const CHILD = path.join(__dirname, 'expiryJobChild.ts');

const databaseOf = (db: Knex) => ({ getClient: async () => db });

/**
 * Apps registered in Discover: two thirds expired (at distinct times before NOW, so the
 * job's order is fixed), the others expiring within the warning window.
 */
async function seed(db: Knex) {
  await DatabaseMarketplaceStore.create({ database: databaseOf(db) });
  const rows = Array.from({ length: APPS }, (_, i) => {
    const expired = i % 3 !== 2;
    const expiresAt = expired
      ? new Date(NOW.getTime() - (i + 1) * 60_000)
      : new Date(NOW.getTime() + (1 + (i % 13)) * DAY + i * 1000);
    return {
      entity_ref: `microapp:default/job-app-${String(i).padStart(5, '0')}`,
      requested_tier: 'discover',
      effective_tier: 'discover',
      gate_status: 'pass',
      latest_run_id: null,
      first_seen_at: new Date(NOW.getTime() - 90 * DAY),
      updated_at: new Date(NOW.getTime() - 90 * DAY),
      registered_at: new Date(NOW.getTime() - 90 * DAY),
      registered_by: 'user:default/pat',
      expires_at: expiresAt,
    };
  });
  for (let i = 0; i < rows.length; i += 500) {
    await db('apps').insert(rows.slice(i, i + 500));
  }
}

/** Starts one run of the job; `done` settles with its exit code and output. */
function runJob(dbUrl: string, notifications: string) {
  const child = spawn(
    process.execPath,
    ['--require', '@backstage/cli/config/nodeTransform.cjs', CHILD],
    {
      env: {
        ...process.env,
        FAULTS_DB_URL: dbUrl,
        FAULTS_NOW: NOW.toISOString(),
        FAULTS_NOTIFICATIONS: notifications,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', d => (output += d));
  child.stderr.on('data', d => (output += d));
  const done = new Promise<{ code: number | null; output: string }>(resolve =>
    child.on('exit', code => resolve({ code, output })),
  );
  return { child, done };
}

/** The job's rows, without what differs between two runs of it (times of writing, hashes). */
async function contents(db: Knex) {
  const apps = await db('apps')
    .orderBy('entity_ref')
    .select('entity_ref', 'expires_at', 'expired_at');
  const warnings = await db('expiry_warnings')
    .orderBy(['entity_ref', 'days_before'])
    .select('entity_ref', 'expires_at', 'days_before', 'sent_at');
  const audit = (
    await db('audit_log').select('actor', 'action', 'entity_ref', 'data')
  )
    .map(row => JSON.stringify(row))
    .sort();
  return { apps: JSON.stringify(apps), warnings, audit };
}

const lines = (file: string) =>
  fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)
    : [];

runFaults('scheduled job killed mid-run', async () => {
  const cluster = await PgCluster.create();
  cleanupOnSignal(() => cluster.destroy());
  const tmp = faultTmpDir('mp-faults-job-');
  const admin = knexFactory({ client: 'pg', connection: cluster.url() });
  const dbs: Knex[] = [];
  const open = async (name: string) => {
    await admin.raw(`create database ${name}`);
    const db = knexFactory({
      client: 'pg',
      connection: cluster.url(name),
      pool: { min: 0, max: 2 },
    });
    dbs.push(db);
    return db;
  };
  try {
    const clean = await open('job_clean');
    const killed = await open('job_killed');
    await seed(clean);
    await seed(killed);
    const cleanNotes = path.join(tmp, 'clean.jsonl');
    const killedNotes = path.join(tmp, 'killed.jsonl');

    console.log(`-- clean run over ${APPS} apps`);
    let began = Date.now();
    const first = await runJob(cluster.url('job_clean'), cleanNotes).done;
    figure('clean run ms', Date.now() - began);
    figure('clean run result', first.output.trim());
    check('the clean run completes', first.code === 0, first.output);
    const expected = await contents(clean);
    figure('audit entries of the clean run', expected.audit.length);

    console.log('-- killed mid-run, then run again');
    const auditCount = async () =>
      Number((await killed('audit_log').count({ n: '*' }))[0].n);
    const victim = runJob(cluster.url('job_killed'), killedNotes);
    // killed once it has committed part of its work
    await waitFor(
      'the job to have written part of its work',
      async () =>
        (await auditCount()) >= expected.audit.length / 4 ? true : undefined,
      120_000,
      20,
    );
    victim.child.kill('SIGKILL');
    const killedRun = await victim.done;
    const atKill = await auditCount();
    const notesAtKill = lines(killedNotes).length;
    figure('audit entries when killed', atKill);
    figure('notifications sent when killed', notesAtKill);
    check(
      'the job was killed mid-run (some, not all, of its work was done)',
      killedRun.code === null && atKill > 0 && atKill < expected.audit.length,
      { code: killedRun.code, atKill },
    );
    began = Date.now();
    const rerun = await runJob(cluster.url('job_killed'), killedNotes).done;
    figure('rerun ms', Date.now() - began);
    figure('rerun result', rerun.output.trim());
    check('the rerun completes', rerun.code === 0, rerun.output);

    const got = await contents(killed);
    check(
      'apps: the same expiries as the clean run',
      got.apps === expected.apps,
    );
    check(
      'expiry warnings: the same rows as the clean run, each once',
      JSON.stringify(got.warnings) === JSON.stringify(expected.warnings),
      { got: got.warnings.length, expected: expected.warnings.length },
    );
    check(
      'audit entries: the same as the clean run, each once',
      JSON.stringify(got.audit) === JSON.stringify(expected.audit),
      { got: got.audit.length, expected: expected.audit.length },
    );
    for (const [label, db] of [
      ['clean', clean],
      ['killed', killed],
    ] as const) {
      const verdict = await verifyStoredChain(
        await DatabaseMarketplaceStore.create({
          database: databaseOf(db),
          skipMigrations: true,
        }),
      );
      check(
        `the audit chain of the ${label} run verifies`,
        verdict.ok,
        verdict,
      );
    }
    const sent = lines(killedNotes);
    const cleanSent = lines(cleanNotes);
    figure('notifications: clean run', cleanSent.length);
    figure('notifications: killed run and rerun', sent.length);
    check('no notification was sent twice', new Set(sent).size === sent.length);
    // a kill between a commit and its notification loses that one notification, never more
    check(
      'at most the one notification in flight at the kill is missing',
      sent.length <= cleanSent.length && sent.length >= cleanSent.length - 1,
      { sent: sent.length, clean: cleanSent.length },
    );

    console.log('-- a completed job run once more');
    const head = await killed('audit_head').first();
    const again = await runJob(cluster.url('job_killed'), killedNotes).done;
    figure('run of the completed job', again.output.trim());
    const after = await contents(killed);
    check(
      'changes nothing: same rows, same audit head, no notification',
      again.code === 0 &&
        JSON.stringify(after) === JSON.stringify(got) &&
        JSON.stringify(await killed('audit_head').first()) ===
          JSON.stringify(head) &&
        lines(killedNotes).length === sent.length,
    );
  } finally {
    for (const db of dbs) await db.destroy();
    await admin.destroy();
    await cluster.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
