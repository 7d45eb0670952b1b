import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  DEFAULT_PROMOTION_STAGES,
  GateResult,
  summarizeGateRun,
  TierId,
} from '@microapps/plugin-marketplace-common';
import {
  canonicalJson,
  GENESIS_HASH,
  hashAuditEntry,
  sha256Hex,
} from '../src/audit/auditHash';
import { bulkInsert } from './benchUtils';
import type { AuditRow } from '../src/database/rows';

// Bulk seeding of the marketplace's tables with a history that the real code could have
// written: rows in the shapes `DatabaseMarketplaceStore` and `DatabaseAppTransaction` write,
// and audit entries hashed in order with `hashAuditEntry`, as `appendAudit` hashes them.

export const SUBMITTER = 'user:default/bench-submitter';
export const REVIEWER = 'user:default/bench-reviewer';
export const ADMIN = 'user:default/bench-admin';
export const OWNER = 'group:default/bench-app-team';
export const REVIEWER_GROUP = 'group:default/bench-reviewers';
/** The actor of the catalog's gate runs in the audit log. */
export const CATALOG = 'plugin:catalog';

export const appName = (i: number) => `bench-app-${String(i).padStart(5, '0')}`;
export const appRef = (i: number) => `microapp:default/${appName(i)}`;

/** Human stages of the open request every seeded app has (to Enterprise). */
export const OPEN_STAGES = DEFAULT_PROMOTION_STAGES.enterprise.filter(
  s => s !== 'automated',
);

/** Results of a clean app: every gate passes, one warns without blocking. */
export function gateResults(i: number, run: number): GateResult[] {
  return [
    { gateId: 'metadata', status: 'pass', enforcement: 'block', findings: [] },
    { gateId: 'sbom', status: 'pass', enforcement: 'block', findings: [] },
    {
      gateId: 'vulnerabilities',
      status: 'pass',
      enforcement: 'block',
      findings: [],
      summary: '0 critical, 0 high',
    },
    { gateId: 'secrets', status: 'pass', enforcement: 'block', findings: [] },
    {
      gateId: 'policy:data-residency',
      status: 'pass',
      enforcement: 'block',
      findings: [],
    },
    {
      gateId: 'policy:runbook',
      status: 'warn',
      enforcement: 'warn',
      findings: [
        {
          id: `runbook-${i}-${run}`,
          severity: 'low',
          message: 'spec.support.runbook is not set',
          location: 'spec.support.runbook',
        },
      ],
    },
  ];
}

/** One entry of the chain, as a row of `audit_log`. */
type AuditRowOut = AuditRow;

/** Builds chained audit rows in order, continuing from a head. */
export class ChainBuilder {
  readonly rows: AuditRowOut[] = [];
  constructor(public seq = 0, public hash = GENESIS_HASH) {}

  add(
    at: Date,
    actor: string,
    action: string,
    entityRef: string | null,
    data: object,
  ) {
    // canonical JSON, parsed back: the stored data is exactly what was hashed
    const text = canonicalJson(data);
    const content = {
      seq: this.seq + 1,
      at: at.toISOString(),
      actor,
      action,
      entityRef,
      data: JSON.parse(text),
      prevHash: this.hash,
    };
    const hash = hashAuditEntry(content);
    this.rows.push({
      seq: content.seq,
      at: content.at,
      actor,
      action,
      entity_ref: entityRef,
      data: text,
      prev_hash: content.prevHash,
      hash,
    });
    this.seq = content.seq;
    this.hash = hash;
  }

  /** Writes the rows and moves the head to the last one. */
  async write(tx: Knex.Transaction, chunk = 500) {
    await bulkInsert(tx, 'audit_log', this.rows, chunk);
    await tx('audit_head')
      .where({ id: 1 })
      .update({ seq: this.seq, hash: this.hash });
  }
}

/**
 * One gate run as the catalog's evaluation writes it: its `gate_runs` row into `rows` and
 * its `gates.evaluated` entry into `chain`. Returns the run's status.
 */
export function recordGateRun(
  chain: ChainBuilder,
  rows: object[],
  run: {
    id: number;
    ref: string;
    tier: TierId;
    at: Date;
    results: GateResult[];
    inputHash: string;
  },
): string {
  const text = JSON.stringify(run.results);
  const status = summarizeGateRun(run.results);
  rows.push({
    id: run.id,
    entity_ref: run.ref,
    tier: run.tier,
    status,
    input_hash: run.inputHash,
    sbom_sha256: null,
    results: text,
    evaluated_at: run.at,
    created_at: run.at,
  });
  chain.add(run.at, CATALOG, 'gates.evaluated', run.ref, {
    runId: String(run.id),
    tier: run.tier,
    status,
    inputHash: run.inputHash,
    sbomSha256: null,
    resultsSha256: sha256Hex(text),
  });
  return status;
}

/**
 * An open request of `ref` to Enterprise, as the submitter creates it: its `promotions` row
 * into `rows` and its `promotion.created` entry into `chain`. Returns its id.
 */
export function recordOpenRequest(
  chain: ChainBuilder,
  rows: object[],
  request: { ref: string; fromTier: TierId; at: Date },
): string {
  const { ref, fromTier, at } = request;
  const id = randomUUID();
  const stages = [...DEFAULT_PROMOTION_STAGES.enterprise];
  const comment = 'ready for production';
  chain.add(at, SUBMITTER, 'promotion.created', ref, {
    promotionId: id,
    fromTier,
    targetTier: 'enterprise',
    stages,
    comment,
  });
  rows.push({
    id,
    entity_ref: ref,
    from_tier: fromTier,
    target_tier: 'enterprise',
    status: 'open',
    revision: 1,
    submitter: SUBMITTER,
    comment,
    stages: JSON.stringify(stages),
    created_at: at,
    updated_at: at,
    decided_at: null,
  });
  return id;
}

/**
 * The `n`th entry of an older history, of the kinds the workflow writes: two gate runs
 * (run id `runId`), a request, two sign-offs in every five.
 */
export function addOlderEntry(
  chain: ChainBuilder,
  at: Date,
  ref: string,
  n: number,
  runId: string,
) {
  const promotionId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  if (n % 5 < 2) {
    chain.add(at, CATALOG, 'gates.evaluated', ref, {
      runId,
      tier: 'vetted',
      status: 'pass',
      inputHash: sha256Hex(`${ref}:${n}`),
      sbomSha256: null,
      resultsSha256: sha256Hex(`results:${n}`),
    });
  } else if (n % 5 === 2) {
    chain.add(at, SUBMITTER, 'promotion.created', ref, {
      promotionId,
      fromTier: 'discover',
      targetTier: 'vetted',
      stages: [...DEFAULT_PROMOTION_STAGES.vetted],
      comment: null,
    });
  } else {
    chain.add(at, REVIEWER, 'signoff.recorded', ref, {
      promotionId,
      revision: 1,
      stage: n % 5 === 3 ? 'security' : 'compliance',
      decision: 'approve',
      comment: 'looks fine',
      promotionStatus: 'open',
      tierChange: null,
    });
  }
}

export interface SeedCounts {
  apps: number;
  gateRuns: number;
  promotions: number;
  signoffs: number;
  auditEntries: number;
  /** Promotion id of each app's open request (to Enterprise), by app index. */
  openPromotions: string[];
}

/**
 * Seeds `apps` apps into an empty, migrated marketplace database. Per app, in this order:
 * a gate run at Vetted; a promotion to Vetted with its three sign-offs (approved); a
 * demotion to Discover; another run at Vetted; a second promotion to Vetted (approved); a
 * promotion to Enterprise that stays open; a run at Enterprise that passes. That is 3 gate
 * runs, 3 promotions, 6 sign-offs and 13 audit entries per app; every app ends in Vetted with
 * an open request whose automated stage passed and whose five human stages are pending.
 */
export async function seedHistory(
  knex: Knex,
  apps: number,
  options: { isPostgres: boolean; chunk?: number },
): Promise<SeedCounts> {
  const stepMs = 1000;
  let clock = Date.now() - apps * 13 * stepMs - 60_000;
  const tick = () => new Date((clock += stepMs));

  const chain = new ChainBuilder();
  const gateRuns: object[] = [];
  const appRows: object[] = [];
  const promotions: object[] = [];
  const signoffs: object[] = [];
  const openPromotions: string[] = [];
  let runId = 0;

  const seedApp = (i: number) => {
    const ref = appRef(i);
    let runCount = 0;
    let latest: { id: number; status: string; at: Date; tier: TierId } = {
      id: 0,
      status: 'pass',
      at: new Date(clock),
      tier: 'vetted',
    };
    const firstSeen = new Date(clock + stepMs);

    const gateRun = (tier: TierId) => {
      const at = tick();
      const results = gateResults(i, runCount++);
      runId += 1;
      const status = recordGateRun(chain, gateRuns, {
        id: runId,
        ref,
        tier,
        at,
        results,
        inputHash: sha256Hex(`${ref}:${runCount}`),
      });
      latest = { id: runId, status, at, tier };
    };

    const approvedPromotion = (fromTier: TierId) => {
      const id = randomUUID();
      const stageIds = [...DEFAULT_PROMOTION_STAGES.vetted];
      const createdAt = tick();
      chain.add(createdAt, SUBMITTER, 'promotion.created', ref, {
        promotionId: id,
        fromTier,
        targetTier: 'vetted',
        stages: stageIds,
        comment: null,
      });
      const human = stageIds.filter(s => s !== 'automated');
      let decidedAt = createdAt;
      human.forEach((stage, k) => {
        const at = tick();
        const last = k === human.length - 1;
        signoffs.push({
          promotion_id: id,
          revision: 1,
          stage,
          decision: 'approve',
          comment: 'looks fine',
          reviewer: REVIEWER,
          created_at: at,
        });
        chain.add(at, REVIEWER, 'signoff.recorded', ref, {
          promotionId: id,
          revision: 1,
          stage,
          decision: 'approve',
          comment: 'looks fine',
          promotionStatus: last ? 'approved' : 'open',
          tierChange: last ? { from: fromTier, to: 'vetted' } : null,
        });
        decidedAt = at;
      });
      promotions.push({
        id,
        entity_ref: ref,
        from_tier: fromTier,
        target_tier: 'vetted',
        status: 'approved',
        revision: 1,
        submitter: SUBMITTER,
        comment: null,
        stages: JSON.stringify(stageIds),
        created_at: createdAt,
        updated_at: decidedAt,
        decided_at: decidedAt,
      });
      return decidedAt;
    };

    gateRun('vetted');
    approvedPromotion('discover');
    chain.add(tick(), ADMIN, 'tier.demoted', ref, {
      from: 'vetted',
      to: 'discover',
      reason: 'runbook missing after the on-call change',
    });
    gateRun('vetted');
    const tierChangedAt = approvedPromotion('discover');

    // the open request: gates are evaluated at its target from now on
    const openId = recordOpenRequest(chain, promotions, {
      ref,
      fromTier: 'vetted',
      at: tick(),
    });
    openPromotions.push(openId);
    gateRun('enterprise');

    appRows.push({
      entity_ref: ref,
      requested_tier: latest.tier,
      effective_tier: 'vetted',
      gate_status: latest.status,
      latest_run_id: latest.id,
      first_seen_at: firstSeen,
      updated_at: latest.at,
      tier_changed_at: tierChangedAt,
    });
  };
  for (let i = 0; i < apps; i++) seedApp(i);

  const chunk = options.chunk ?? 500;
  await knex.transaction(async tx => {
    await bulkInsert(tx, 'gate_runs', gateRuns, chunk);
    await bulkInsert(tx, 'apps', appRows, chunk);
    await bulkInsert(tx, 'promotions', promotions, chunk);
    await bulkInsert(tx, 'signoffs', signoffs, chunk);
    await chain.write(tx, chunk);
    if (options.isPostgres) {
      // explicit ids do not move the sequence; later inserts must not collide with them
      await tx.raw(
        `select setval(pg_get_serial_sequence('gate_runs', 'id'), (select max(id) from gate_runs))`,
      );
    }
  });

  return {
    apps,
    gateRuns: gateRuns.length,
    promotions: promotions.length,
    signoffs: signoffs.length,
    auditEntries: chain.rows.length,
    openPromotions,
  };
}

/**
 * Seeds `count` chained audit entries of the kinds the workflow writes, spread over 1,000
 * apps, into an empty, migrated marketplace database.
 */
export async function seedAuditLog(
  knex: Knex,
  count: number,
  options: { chunk?: number } = {},
): Promise<void> {
  const chain = new ChainBuilder();
  let clock = Date.now() - count * 1000;
  for (let n = 0; n < count; n++) {
    const at = new Date((clock += 1000));
    addOlderEntry(chain, at, appRef(n % 1000), n, String(n + 1));
  }
  await knex.transaction(tx => chain.write(tx, options.chunk ?? 500));
}
