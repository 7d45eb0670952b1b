/* eslint-disable no-console */
// PostgreSQL restarted under a running marketplace backend (real catalog, our catalog
// module, the marketplace plugin; every plugin's database on a private cluster):
//
// 1. mid-promotion: the last sign-off of a promotion is held inside its transaction (after
//    the sign-off, the promotion's completion and the tier change were written, while it
//    waits for the audit head) and the server is crashed (`immediate`) or shut down
//    (`fast`). Nothing of it may remain; the client's retry completes it once.
// 2. sign-off burst: sign-offs of several promotions, each sent twice at once by the same
//    reviewer, while the server restarts in the middle. Every 2xx is stored once, every
//    stored sign-off has its audit entry and vice versa, no stage is signed twice, failed
//    sign-offs are absent or (retried) present once, completion and tier agree.
//
// The backend is never restarted; the audit chain verifies at the end.
// Knobs: FAULTS_BURST_APPS (6 per burst), FAULTS_BURST_GAP_MS (80), FAULTS_LOG_LEVEL.
import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import { writeExampleApps } from './faultApps';
import { startFaultBackend, type FaultBackend } from './faultBackend';
import {
  check,
  faultTmpDir,
  cleanupOnSignal,
  figure,
  runFaults,
  sleep,
  waitFor,
} from './faultUtils';
import { PgCluster, type StopMode } from './pgCluster';

const BURST_APPS = Number(process.env.FAULTS_BURST_APPS ?? 6);
const BURST_GAP_MS = Number(process.env.FAULTS_BURST_GAP_MS ?? 80);
const MODES: StopMode[] = ['immediate', 'fast'];
/** The human stages of Vetted and who signs them (examples/org.yaml). */
const STAGES = [
  ['security', 'sam'],
  ['compliance', 'cora'],
  ['cost', 'bea'],
] as const;

const midName = (mode: StopMode) => `fault-mid-${mode}`;
const burstName = (mode: StopMode, i: number) => `fault-burst-${mode}-${i}`;
const refOf = (name: string) => `microapp:default/${name}`;

/** A request that got no answer within REQUEST_TIMEOUT_MS. */
const HUNG = -1;

type Sent = {
  promotionId: string;
  stage: string;
  reviewer: string;
  sentAt: number;
  status: number; // 0: connection error, HUNG: no answer in time
  retried?: number; // the status the client's retry ended with
};

/** What the marketplace's tables hold about some promotions. */
async function storedState(db: Knex, promotionIds: string[]) {
  const signoffs = await db('signoffs')
    .whereIn('promotion_id', promotionIds)
    .select('promotion_id', 'revision', 'stage', 'reviewer', 'decision');
  const audit = (
    await db('audit_log').where({ action: 'signoff.recorded' }).select()
  )
    .map(row => ({ ...row, data: JSON.parse(row.data) }))
    .filter(row => promotionIds.includes(row.data.promotionId));
  const promotions = await db('promotions')
    .whereIn('id', promotionIds)
    .select('id', 'entity_ref', 'status');
  const apps = await db('apps')
    .whereIn(
      'entity_ref',
      promotions.map(p => p.entity_ref),
    )
    .select('entity_ref', 'effective_tier');
  const tierChanges = (
    await db('audit_log')
      .whereIn(
        'entity_ref',
        promotions.map(p => p.entity_ref),
      )
      .select('entity_ref', 'data')
  ).filter(row => JSON.parse(row.data).tierChange);
  return { signoffs, audit, promotions, apps, tierChanges };
}

/** Sign-offs and their audit entries match one to one; completion and tier agree. */
function checkConsistent(
  label: string,
  state: Awaited<ReturnType<typeof storedState>>,
) {
  const key = (p: string, r: number, s: string, who: string) =>
    `${p}/${r}/${s}/${who}`;
  const stored = state.signoffs.map(s =>
    key(s.promotion_id, Number(s.revision), s.stage, s.reviewer),
  );
  const audited = state.audit.map(a =>
    key(a.data.promotionId, a.data.revision, a.data.stage, a.actor),
  );
  const stages = state.signoffs.map(
    s => `${s.promotion_id}/${s.revision}/${s.stage}`,
  );
  check(
    `${label}: no stage signed twice`,
    new Set(stages).size === stages.length,
    stages,
  );
  check(
    `${label}: every stored sign-off has one audit entry, and every entry its sign-off`,
    JSON.stringify([...stored].sort()) === JSON.stringify([...audited].sort()),
    { stored, audited },
  );
  for (const p of state.promotions) {
    const signed = state.signoffs.filter(s => s.promotion_id === p.id).length;
    const complete = signed === STAGES.length;
    const tier = state.apps.find(
      a => a.entity_ref === p.entity_ref,
    )?.effective_tier;
    const changes = state.tierChanges.filter(
      c => c.entity_ref === p.entity_ref,
    ).length;
    check(
      `${label}: ${p.entity_ref} with ${signed} sign-offs is ${p.status}, tier ${tier}, ${changes} tier change(s)`,
      complete
        ? p.status === 'approved' && tier === 'vetted' && changes === 1
        : p.status === 'open' && tier === 'discover' && changes === 0,
    );
  }
}

/** Opens a promotion to Vetted for each app and waits until its gates let it be signed. */
async function openPromotions(backend: FaultBackend, names: string[]) {
  const ids: string[] = [];
  for (const name of names) {
    const created = await backend.post('pat', '/promotions', {
      entityRef: refOf(name),
      targetTier: 'vetted',
    });
    if (created.status !== 201) {
      throw new Error(
        `Could not open a promotion of ${name}: ${JSON.stringify(created)}`,
      );
    }
    ids.push(created.body.id);
  }
  for (const id of ids) {
    await waitFor(`automated stage of ${id} passed`, async () => {
      const p = await backend.get('pat', `/promotions/${id}`);
      const automated = p.body.stages?.find((s: any) => s.id === 'automated');
      return automated?.state === 'passed' ? true : undefined;
    });
  }
  return ids;
}

async function signoff(
  backend: FaultBackend,
  promotionId: string,
  stage: string,
  reviewer: string,
): Promise<number> {
  try {
    const res = await backend.post(
      reviewer,
      `/promotions/${promotionId}/signoffs`,
      { stage, decision: 'approve', comment: `${stage} checked` },
    );
    return res.status;
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? HUNG : 0;
  }
}

/** Milliseconds from `since` until the marketplace answers from its database again. */
async function recoveryMs(backend: FaultBackend, since: number) {
  await waitFor(
    'the marketplace to answer again',
    async () =>
      (await backend.get('ada', '/audit/verify')).status === 200
        ? true
        : undefined,
    120_000,
    20,
  );
  return Date.now() - since;
}

async function midPromotion(
  backend: FaultBackend,
  cluster: PgCluster,
  dbName: string,
  mode: StopMode,
  promotionId: string,
) {
  console.log(`-- mid-promotion, PostgreSQL stopped '${mode}'`);
  for (const [stage, reviewer] of STAGES.slice(0, 2)) {
    const status = await signoff(backend, promotionId, stage, reviewer);
    if (status !== 200) throw new Error(`${stage} sign-off answered ${status}`);
  }
  const [lastStage, lastReviewer] = STAGES[2];
  // holds the audit head: the last sign-off writes itself, completes the promotion and
  // changes the tier, then waits inside its transaction for the head
  const holder = knexFactory({
    client: 'pg',
    connection: cluster.url(dbName),
    pool: { min: 0, max: 2 },
  });
  const trx = await holder.transaction();
  trx.executionPromise.catch(() => {});
  await trx.raw('select seq from audit_head where id = 1 for update');
  const pending = signoff(backend, promotionId, lastStage, lastReviewer);
  await waitFor(
    'the last sign-off to wait for the audit head',
    async () => {
      const { rows } = await holder.raw(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock'
           and query ilike '%audit_head%'`,
      );
      return rows[0].n > 0 ? true : undefined;
    },
    30_000,
    20,
  );
  const downAt = Date.now();
  const downMs = await cluster.restart(mode);
  const upAt = Date.now();
  const answered = await pending;
  const answeredMs = Date.now() - downAt;
  // the holder's connection died with the server: give it back, or destroy() waits for it
  await trx.rollback().catch(() => {});
  await holder.destroy().catch(() => {});
  const recovery = await recoveryMs(backend, upAt);
  figure('restart (stop + start) ms', downMs);
  figure(
    'held sign-off answered',
    `${answered} after ${answeredMs} ms (0: connection error, -1: none in time)`,
  );
  figure('recovery after restart ms', recovery);
  check(
    'the sign-off caught in the restart got an answer',
    answered !== HUNG,
    answered,
  );
  check(
    'the sign-off caught in the restart was not answered 2xx',
    answered === HUNG || answered === 0 || answered >= 500,
    answered,
  );

  const db = backend.marketplaceDb;
  const before = await storedState(db, [promotionId]);
  check(
    'nothing of the interrupted sign-off remains (2 sign-offs, open, Discover)',
    before.signoffs.length === 2 &&
      before.promotions[0].status === 'open' &&
      before.apps[0].effective_tier === 'discover',
    before,
  );
  checkConsistent('after the restart', before);

  // the client retries: completes once
  const retried = await signoff(backend, promotionId, lastStage, lastReviewer);
  const again = await signoff(backend, promotionId, lastStage, lastReviewer);
  check('the retry completes the promotion (200)', retried === 200, retried);
  check('a second retry is a conflict (409)', again === 409, again);
  const after = await storedState(db, [promotionId]);
  checkConsistent('after the retry', after);
}

async function burst(
  backend: FaultBackend,
  cluster: PgCluster,
  mode: StopMode,
  promotionIds: string[],
) {
  console.log(
    `-- sign-off burst over ${promotionIds.length} promotions, PostgreSQL stopped '${mode}' midway`,
  );
  // every stage of every promotion, each sent twice by its reviewer (a double click)
  const plan = promotionIds
    .flatMap(promotionId =>
      STAGES.flatMap(([stage, reviewer]) =>
        [0, 1].map(copy => ({ promotionId, stage, reviewer, copy })),
      ),
    )
    // interleaved: promotions and stages mixed, the two copies apart
    .map(item => ({ item, order: hash(JSON.stringify(item)) }))
    .sort((a, b) => a.order - b.order)
    .map(({ item: { copy: _, ...item } }) => item);
  const sent: Sent[] = [];
  const inFlight: Array<Promise<void>> = [];
  // the server goes down a third into the burst, while requests keep coming
  const restart = sleep(Math.floor(plan.length / 3) * BURST_GAP_MS)
    .then(() => cluster.restart(mode))
    .then(ms => ({ ms, upAt: Date.now() }));
  for (const item of plan) {
    const sentAt = Date.now();
    inFlight.push(
      signoff(backend, item.promotionId, item.stage, item.reviewer).then(
        status => {
          sent.push({ ...item, sentAt, status });
        },
      ),
    );
    await sleep(BURST_GAP_MS);
  }
  // measured while the burst goes on: the first answer from the database after the restart
  const recovered = restart.then(({ upAt }) => recoveryMs(backend, upAt));
  const { ms: downMs, upAt } = await restart;
  await Promise.all(inFlight);
  const recovery = await recovered;

  // the client retries half of the failed ones until they get an answer that is not an error
  const failed = sent.filter(s => s.status <= 0 || s.status >= 500);
  const retried = failed.filter((_, i) => i % 2 === 0);
  for (const s of retried) {
    s.retried = await waitFor(
      'a retry that is answered',
      async () => {
        const status = await signoff(
          backend,
          s.promotionId,
          s.stage,
          s.reviewer,
        );
        return status > 0 && status < 500 ? status : undefined;
      },
      60_000,
      200,
    );
  }

  const state = await storedState(backend.marketplaceDb, promotionIds);
  const storedStage = (s: Sent) =>
    state.signoffs.filter(
      x =>
        x.promotion_id === s.promotionId &&
        x.stage === s.stage &&
        x.reviewer === `user:default/${s.reviewer}`,
    ).length;
  const ok = sent.filter(s => s.status >= 200 && s.status < 300);
  const stageKey = (s: Sent) => `${s.promotionId}/${s.stage}`;
  const okPerStage = new Map<string, number>();
  for (const s of [...ok, ...retried.filter(r => r.retried === 200)]) {
    okPerStage.set(stageKey(s), (okPerStage.get(stageKey(s)) ?? 0) + 1);
  }
  const notRetried = failed.filter(s => !retried.includes(s));
  // stored although no request for the stage was answered 2xx: a commit whose answer was lost
  const unanswered = new Set(
    state.signoffs
      .map(x => `${x.promotion_id}/${x.stage}`)
      .filter(k => !okPerStage.has(k)),
  );

  figure('restart (stop + start) ms', downMs);
  figure('recovery after restart ms', recovery);
  figure('sign-offs sent', sent.length);
  figure('answered 2xx', ok.length);
  figure(
    'answered 409 (the duplicate lost)',
    sent.filter(s => s.status === 409).length,
  );
  figure('answered 5xx or no answer', failed.length);
  figure(
    'of those sent after the server was back',
    failed.filter(s => s.sentAt > upAt).length,
  );
  figure('of those retried', retried.length);
  figure(
    'retries answered 200 / 409',
    `${retried.filter(r => r.retried === 200).length} / ${
      retried.filter(r => r.retried === 409).length
    }`,
  );
  figure('sign-offs stored', state.signoffs.length);
  figure('stored without a 2xx (commit answered by an error)', unanswered.size);

  check(
    'other answers are only 200, 409, 5xx or no answer',
    sent.every(s => [0, 200, 409].includes(s.status) || s.status >= 500),
    sent.map(s => s.status),
  );
  check(
    'every sign-off got an answer',
    sent.every(s => s.status !== HUNG),
    sent.filter(s => s.status === HUNG).length,
  );
  check('the restart hit the burst (some sign-offs failed)', failed.length > 0);
  check(
    'every sign-off answered 2xx is stored, once',
    ok.every(s => storedStage(s) === 1),
  );
  check(
    'at most one 2xx per stage (duplicates get 409)',
    [...okPerStage.values()].every(n => n === 1),
  );
  check(
    'every retried sign-off is stored once (the retry got 200, or 409 as it was in)',
    retried.every(s => storedStage(s) === 1),
  );
  check(
    'every failed sign-off not retried is absent or stored once',
    notRetried.every(s => storedStage(s) <= 1),
  );
  checkConsistent('burst', state);
}

function hash(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

runFaults('PostgreSQL restart', async () => {
  const cluster = await PgCluster.create();
  cleanupOnSignal(() => cluster.destroy());
  const tmp = faultTmpDir('mp-faults-apps-');
  let backend: FaultBackend | undefined;
  try {
    const names = MODES.flatMap(mode => [
      midName(mode),
      ...Array.from({ length: BURST_APPS }, (_, i) => burstName(mode, i)),
    ]);
    const file = writeExampleApps({
      dir: tmp,
      example: 'status-page',
      names,
    });
    backend = await startFaultBackend({
      pg: { host: '127.0.0.1', port: cluster.port },
      locations: [file],
    });
    const started = backend;
    for (const name of names) {
      await waitFor(`${name} evaluated`, async () => {
        const g = await started.get('ada', `/apps/default/${name}/gates`);
        return g.body.status && g.body.status !== 'pending' ? true : undefined;
      });
    }
    const ids = await openPromotions(backend, names);
    const idOf = (name: string) => ids[names.indexOf(name)];
    const dbName = (backend.marketplaceDb.client.config.connection as any)
      .database;
    for (const mode of MODES) {
      await midPromotion(backend, cluster, dbName, mode, idOf(midName(mode)));
    }
    for (const mode of MODES) {
      await burst(
        backend,
        cluster,
        mode,
        Array.from({ length: BURST_APPS }, (_, i) => idOf(burstName(mode, i))),
      );
    }
    console.log('-- the audit chain');
    const verdict = await backend.get('ada', '/audit/verify');
    const head = await backend.marketplaceDb('audit_head').first();
    figure('audit entries checked', verdict.body.checked);
    check(
      'GET /audit/verify: the chain is valid and covers every entry',
      verdict.status === 200 &&
        verdict.body.ok === true &&
        verdict.body.checked === Number(head.seq),
      verdict.body,
    );
  } finally {
    await backend?.stop().catch(() => {});
    await cluster.destroy();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
