import type { Knex } from 'knex';
import { formatMicros, parseMicros } from '../cost/focus/decimal';
import { normalizeRef, toIso } from './rows';

/** A total of one app in one month, from one source. */
export type CostTotal = {
  entityRef: string;
  /** `YYYY-MM`. */
  month: string;
  /** An exact decimal, e.g. `12.5`. */
  amount: string;
  currency: string;
};

export type StoredCost = CostTotal & { source: string; importedAt: string };

export type ReplaceCostsResult = {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of the source that the new file no longer has. */
  deleted: number;
};

type CostRow = {
  entity_ref: string;
  month: string;
  amount: string | number;
  currency: string;
  source: string;
  imported_at: string | Date;
};

const CHUNK = 500;

/** Canonical amount of a database value (PostgreSQL answers `12.500000`, SQLite `12.5`). */
const canonical = (amount: string | number) => {
  const micros = parseMicros(amount);
  if (micros === undefined) throw new Error(`Bad stored amount ${amount}`);
  return formatMicros(micros);
};

/**
 * The actual costs per app and month (table `app_costs`, created by the marketplace
 * migrations that `DatabaseMarketplaceStore.create` runs).
 */
export class DatabaseCostStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes the rows of `source` exactly `totals`, in one transaction: new totals are
   * inserted, changed ones updated (with a new `imported_at`), equal ones left alone, and
   * totals the source no longer has deleted. Importing the same file again changes nothing.
   */
  async replaceCosts(
    source: string,
    totals: CostTotal[],
    now: Date = new Date(),
  ): Promise<ReplaceCostsResult> {
    const wanted = new Map<string, CostTotal>();
    for (const t of totals) {
      const entityRef = normalizeRef(t.entityRef);
      if (!/^\d{4}-\d{2}$/.test(t.month)) {
        throw new Error(`Bad month '${t.month}' for ${entityRef}`);
      }
      wanted.set(`${entityRef}\u0000${t.month}`, {
        ...t,
        entityRef,
        amount: canonical(t.amount),
      });
    }
    return this.db.transaction(async tx => {
      const existing = await tx<CostRow>('app_costs')
        .where({ source })
        .select('entity_ref', 'month', 'amount', 'currency');
      const result: ReplaceCostsResult = {
        inserted: 0,
        updated: 0,
        unchanged: 0,
        deleted: 0,
      };
      const stale: Array<Pick<CostRow, 'entity_ref' | 'month'>> = [];
      for (const row of existing) {
        const key = `${row.entity_ref}\u0000${row.month}`;
        const want = wanted.get(key);
        if (!want) {
          stale.push(row);
          continue;
        }
        wanted.delete(key);
        if (
          canonical(row.amount) === want.amount &&
          row.currency === want.currency
        ) {
          result.unchanged += 1;
          continue;
        }
        await tx('app_costs')
          .where({ source, entity_ref: row.entity_ref, month: row.month })
          .update({
            amount: want.amount,
            currency: want.currency,
            imported_at: now,
          });
        result.updated += 1;
      }
      for (const row of stale) {
        await tx('app_costs')
          .where({ source, entity_ref: row.entity_ref, month: row.month })
          .delete();
        result.deleted += 1;
      }
      const inserts = [...wanted.values()].map(t => ({
        entity_ref: t.entityRef,
        month: t.month,
        amount: t.amount,
        currency: t.currency,
        source,
        imported_at: now,
      }));
      for (let i = 0; i < inserts.length; i += CHUNK / 10) {
        await tx('app_costs').insert(inserts.slice(i, i + CHUNK / 10));
      }
      result.inserted = inserts.length;
      return result;
    });
  }

  /** The costs of these apps, from every source, in one month or all; by ref, month, source. */
  async getCosts(entityRefs: string[], month?: string): Promise<StoredCost[]> {
    const refs = [...new Set(entityRefs.map(normalizeRef))];
    const out: StoredCost[] = [];
    for (let i = 0; i < refs.length; i += CHUNK) {
      const query = this.db<CostRow>('app_costs').whereIn(
        'entity_ref',
        refs.slice(i, i + CHUNK),
      );
      if (month !== undefined) query.where({ month });
      for (const row of await query) {
        out.push({
          entityRef: row.entity_ref,
          month: row.month,
          amount: canonical(row.amount),
          currency: row.currency,
          source: row.source,
          importedAt: toIso(row.imported_at),
        });
      }
    }
    return out.sort(
      (a, b) =>
        a.entityRef.localeCompare(b.entityRef) ||
        a.month.localeCompare(b.month) ||
        a.source.localeCompare(b.source),
    );
  }
}
