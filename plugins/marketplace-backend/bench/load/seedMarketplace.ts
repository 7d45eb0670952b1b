import type { Knex } from 'knex';
import type { TierId } from '@microapps/plugin-marketplace-common';
import { sha256Hex } from '../../src/audit/auditHash';
import { bulkInsert } from '../benchUtils';
import {
  addOlderEntry,
  ChainBuilder,
  gateResults,
  recordGateRun,
  recordOpenRequest,
} from '../seedHistory';
import { fleetApp } from './fleet';

// Seeds the marketplace's database of the load bench straight into its tables, before the
// backend starts: per app its record and a gate run at its tier; per app of the sign-off pool
// a passing run at Enterprise and an open request to it; and older chained audit entries up
// to the wanted total. Rows are written in batches so a million entries never sit in memory.

const BATCH = 10_000;
const CHUNK = 1000;

export interface SeededMarketplace {
  gateRuns: number;
  auditEntries: number;
  /** Time spent on the older audit entries, and on the apps with their own entries. */
  olderMs: number;
  appsMs: number;
  /** The open requests of the sign-off pool. */
  promotions: Array<{ id: string; entityRef: string }>;
}

/** Writes what the chain holds and empties it, keeping its head. */
async function flush(tx: Knex.Transaction, chain: ChainBuilder) {
  await chain.write(tx, CHUNK);
  chain.rows.length = 0;
}

export async function seedMarketplace(
  knex: Knex,
  options: { apps: number; auditEntries: number; pool: number[] },
): Promise<SeededMarketplace> {
  const { apps, pool } = options;
  const own = apps + 2 * pool.length;
  const older = Math.max(0, options.auditEntries - own);
  const stepMs = 1000;
  let clock = Date.now() - (older + own) * stepMs - 60_000;
  const tick = () => new Date((clock += stepMs));
  const chain = new ChainBuilder();
  const promotions: SeededMarketplace['promotions'] = [];
  let runId = 0;
  const start = Date.now();
  let olderMs = 0;

  await knex.transaction(async tx => {
    // older history: the kinds of entries the workflow writes, over the whole fleet
    for (let n = 0; n < older; n++) {
      addOlderEntry(chain, tick(), fleetApp(n % apps).ref, n, `old-${n}`);
      if (chain.rows.length >= BATCH) await flush(tx, chain);
    }
    await flush(tx, chain);
    olderMs = Date.now() - start;

    const inPool = new Set(pool);
    let gateRuns: object[] = [];
    let appRows: object[] = [];
    let promotionRows: object[] = [];
    const gateRun = (ref: string, index: number, tier: TierId) => {
      const at = tick();
      const results = gateResults(index, runId);
      runId += 1;
      const status = recordGateRun(chain, gateRuns, {
        id: runId,
        ref,
        tier,
        at,
        results,
        inputHash: sha256Hex(`${ref}:${tier}`),
      });
      return { id: runId, status, at };
    };
    const writeBatch = async () => {
      await bulkInsert(tx, 'gate_runs', gateRuns, CHUNK);
      await bulkInsert(tx, 'apps', appRows, CHUNK);
      await bulkInsert(tx, 'promotions', promotionRows, CHUNK);
      await flush(tx, chain);
      gateRuns = [];
      appRows = [];
      promotionRows = [];
    };

    for (let i = 0; i < apps; i++) {
      const app = fleetApp(i);
      const firstSeen = new Date(clock + stepMs);
      let latest = gateRun(app.ref, i, app.tier);
      if (inPool.has(i)) {
        const id = recordOpenRequest(chain, promotionRows, {
          ref: app.ref,
          fromTier: app.tier,
          at: tick(),
        });
        promotions.push({ id, entityRef: app.ref });
        // gates are evaluated at the open request's target
        latest = gateRun(app.ref, i, 'enterprise');
      }
      appRows.push({
        entity_ref: app.ref,
        requested_tier: app.tier,
        effective_tier: app.tier,
        gate_status: latest.status,
        latest_run_id: latest.id,
        first_seen_at: firstSeen,
        updated_at: latest.at,
        tier_changed_at: app.tier === 'discover' ? null : firstSeen,
      });
      if (appRows.length >= BATCH / 2) await writeBatch();
    }
    await writeBatch();
    // explicit ids do not move the sequence; the catalog's runs must not collide with them
    await tx.raw(
      `select setval(pg_get_serial_sequence('gate_runs', 'id'), (select max(id) from gate_runs))`,
    );
  });

  return {
    gateRuns: runId,
    auditEntries: chain.seq,
    promotions,
    olderMs,
    appsMs: Date.now() - start - olderMs,
  };
}
