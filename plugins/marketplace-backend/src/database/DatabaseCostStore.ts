import type { Knex } from 'knex';
import type { AppBudget } from '@microapps/plugin-marketplace-common';
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

/** A total charged to a cost center (no app) in one month, from one source. */
export type CostCenterTotal = {
  costCenter: string;
  /** `YYYY-MM`. */
  month: string;
  /** An exact decimal, e.g. `12.5`. */
  amount: string;
  currency: string;
};

export type StoredCost = CostTotal & { source: string; importedAt: string };

/** Rows of `app_costs` and `cost_center_costs` together. */
export type ReplaceCostsResult = {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of the source that the new batch no longer has. */
  deleted: number;
};

/** A fired overrun alert (table `cost_alerts`). */
export type StoredCostAlert = {
  entityRef: string;
  month: string;
  threshold: number;
  actual: number;
  limit: number;
  limitKind: 'forecast' | 'budget';
  currency: string;
  firedAt: string;
};

type CostRow = {
  entity_ref: string;
  month: string;
  amount: string | number;
  currency: string;
  source: string;
  imported_at: string | Date;
};

type CostCenterRow = {
  cost_center: string;
  month: string;
  amount: string | number;
  currency: string;
  source: string;
};

export type BudgetRow = {
  id: number;
  entity_ref: string;
  amount: string | number;
  currency: string;
  approved_by: string;
  approved_at: string | Date;
  promotion_id: string;
};

export type CostAlertRow = {
  entity_ref: string;
  month: string;
  threshold: string | number;
  actual: string | number;
  limit_amount: string | number;
  limit_kind: string;
  currency: string;
  fired_at: string | Date;
};

const CHUNK = 500;
const MONTH = /^\d{4}-\d{2}$/;

/** Micro-units of a database value; PostgreSQL answers `12.500000`, SQLite `12.5`. */
export const microsOf = (amount: string | number): bigint => {
  const micros = parseMicros(amount);
  if (micros === undefined) throw new Error(`Bad stored amount ${amount}`);
  return micros;
};

/** Canonical decimal text of a database value. */
const canonical = (amount: string | number) => formatMicros(microsOf(amount));

/** A number of a decimal database value, exact to 6 decimals. */
export const numberOf = (amount: string | number) => Number(canonical(amount));

export function toBudget(row: BudgetRow): AppBudget {
  return {
    amount: numberOf(row.amount),
    currency: row.currency,
    approvedBy: row.approved_by,
    approvedAt: toIso(row.approved_at),
    promotionId: row.promotion_id,
  };
}

export function toCostAlert(row: CostAlertRow): StoredCostAlert {
  return {
    entityRef: row.entity_ref,
    month: row.month,
    threshold: numberOf(row.threshold),
    actual: numberOf(row.actual),
    limit: numberOf(row.limit_amount),
    limitKind: row.limit_kind as StoredCostAlert['limitKind'],
    currency: row.currency,
    firedAt: toIso(row.fired_at),
  };
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

/** The rows one source should have in one table, keyed by `key` column and month. */
type Wanted = Map<
  string,
  { key: string; month: string; amount: string; currency: string }
>;

/**
 * Actual costs: per app and month (`app_costs`) and per cost center and month
 * (`cost_center_costs`), each from a source (`<provider>:<name>`), plus the approved budgets
 * and the fired overrun alerts. The tables are created by the marketplace migrations that
 * `DatabaseMarketplaceStore.create` runs.
 */
export class DatabaseCostStore {
  constructor(private readonly db: Knex) {}

  /**
   * Makes the rows of `source` exactly these totals, in one transaction: new totals are
   * inserted, changed ones updated (with a new `imported_at`), equal ones left alone, and
   * totals the source no longer has deleted, for apps and cost centers alike. Storing the
   * same batch again changes nothing.
   */
  async replaceCosts(
    source: string,
    totals: CostTotal[],
    now: Date = new Date(),
    costCenterTotals: CostCenterTotal[] = [],
  ): Promise<ReplaceCostsResult> {
    const apps = this.wanted(
      totals.map(t => ({ ...t, key: normalizeRef(t.entityRef) })),
    );
    const centers = this.wanted(
      costCenterTotals.map(t => ({ ...t, key: t.costCenter.trim() })),
    );
    return this.db.transaction(async tx => {
      const a = await this.replaceRows(
        tx,
        'app_costs',
        'entity_ref',
        source,
        apps,
        now,
      );
      const c = await this.replaceRows(
        tx,
        'cost_center_costs',
        'cost_center',
        source,
        centers,
        now,
      );
      return {
        inserted: a.inserted + c.inserted,
        updated: a.updated + c.updated,
        unchanged: a.unchanged + c.unchanged,
        deleted: a.deleted + c.deleted,
      };
    });
  }

  private wanted(
    items: Array<{
      key: string;
      month: string;
      amount: string;
      currency: string;
    }>,
  ): Wanted {
    const wanted: Wanted = new Map();
    for (const t of items) {
      if (!t.key) throw new Error(`Empty cost center or app in ${t.month}`);
      if (!MONTH.test(t.month)) {
        throw new Error(`Bad month '${t.month}' for ${t.key}`);
      }
      const id = `${t.key}\u0000${t.month}`;
      const before = wanted.get(id);
      if (before && before.currency !== t.currency) {
        throw new Error(
          `Two currencies (${before.currency}, ${t.currency}) for ${t.key} in ${t.month}`,
        );
      }
      // a provider may send several totals for one key (e.g. per service): they add up
      wanted.set(id, {
        key: t.key,
        month: t.month,
        amount: before
          ? formatMicros(microsOf(before.amount) + microsOf(t.amount))
          : canonical(t.amount),
        currency: t.currency,
      });
    }
    return wanted;
  }

  private async replaceRows(
    tx: Knex.Transaction,
    table: 'app_costs' | 'cost_center_costs',
    keyColumn: 'entity_ref' | 'cost_center',
    source: string,
    wanted: Wanted,
    now: Date,
  ): Promise<ReplaceCostsResult> {
    const existing: Array<Record<string, any>> = await tx(table)
      .where({ source })
      .select(keyColumn, 'month', 'amount', 'currency');
    const result: ReplaceCostsResult = {
      inserted: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
    };
    for (const row of existing) {
      const where = { source, [keyColumn]: row[keyColumn], month: row.month };
      const id = `${row[keyColumn]}\u0000${row.month}`;
      const want = wanted.get(id);
      if (!want) {
        await tx(table).where(where).delete();
        result.deleted += 1;
        continue;
      }
      wanted.delete(id);
      if (
        canonical(row.amount) === want.amount &&
        row.currency === want.currency
      ) {
        result.unchanged += 1;
        continue;
      }
      await tx(table).where(where).update({
        amount: want.amount,
        currency: want.currency,
        imported_at: now,
      });
      result.updated += 1;
    }
    const inserts = [...wanted.values()].map(t => ({
      [keyColumn]: t.key,
      month: t.month,
      amount: t.amount,
      currency: t.currency,
      source,
      imported_at: now,
    }));
    for (let i = 0; i < inserts.length; i += CHUNK / 10) {
      await tx(table).insert(inserts.slice(i, i + CHUNK / 10));
    }
    result.inserted = inserts.length;
    return result;
  }

  /** The costs of these apps, from every source, in one month or all; by ref, month, source. */
  async getCosts(entityRefs: string[], month?: string): Promise<StoredCost[]> {
    const out: StoredCost[] = [];
    for (const refs of chunks([...new Set(entityRefs.map(normalizeRef))])) {
      const query = this.db<CostRow>('app_costs').whereIn('entity_ref', refs);
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

  /**
   * What was charged to each cost center in a month without naming an app, summed over
   * every source, per cost center and currency; by cost center.
   */
  async getCostCenterCosts(
    month: string,
  ): Promise<Array<{ costCenter: string; amount: string; currency: string }>> {
    const rows = await this.db<CostCenterRow>('cost_center_costs')
      .where({ month })
      .select('cost_center', 'amount', 'currency');
    const sums = new Map<
      string,
      { costCenter: string; currency: string; micros: bigint }
    >();
    for (const row of rows) {
      const id = `${row.cost_center}\u0000${row.currency}`;
      const sum = sums.get(id) ?? {
        costCenter: row.cost_center,
        currency: row.currency,
        micros: 0n,
      };
      sum.micros += microsOf(row.amount);
      sums.set(id, sum);
    }
    return [...sums.values()]
      .map(s => ({
        costCenter: s.costCenter,
        amount: formatMicros(s.micros),
        currency: s.currency,
      }))
      .sort(
        (a, b) =>
          a.costCenter.localeCompare(b.costCenter) ||
          a.currency.localeCompare(b.currency),
      );
  }

  /**
   * Monthly actuals of these apps in `currency`, summed over every source, in micro-units:
   * by lower-case ref, then month. `latestOnly` keeps each app's latest month with actuals;
   * `since` (a `YYYY-MM`) drops earlier months. One query per 500 apps.
   */
  async getMonthlyActuals(
    entityRefs: string[],
    options: { currency: string; latestOnly?: boolean; since?: string },
  ): Promise<Map<string, Map<string, bigint>>> {
    const out = new Map<string, Map<string, bigint>>();
    const { currency } = options;
    for (const refs of chunks([...new Set(entityRefs.map(normalizeRef))])) {
      const query = this.db<CostRow>('app_costs as c')
        .whereIn('c.entity_ref', refs)
        .where('c.currency', currency)
        .select('c.entity_ref', 'c.month', 'c.amount');
      if (options.since) query.where('c.month', '>=', options.since);
      if (options.latestOnly) {
        query.where(
          'c.month',
          this.db('app_costs as l')
            .max('l.month')
            .where('l.entity_ref', this.db.ref('c.entity_ref'))
            .where('l.currency', currency),
        );
      }
      for (const row of (await query) as CostRow[]) {
        let months = out.get(row.entity_ref);
        if (!months) out.set(row.entity_ref, (months = new Map()));
        months.set(
          row.month,
          (months.get(row.month) ?? 0n) + microsOf(row.amount),
        );
      }
    }
    return out;
  }

  /** Apps with actuals in `currency` from month `since` (`YYYY-MM`) on; lower-case refs, sorted. */
  async listAppsWithActuals(options: {
    currency: string;
    since: string;
  }): Promise<string[]> {
    const rows = await this.db<CostRow>('app_costs')
      .distinct('entity_ref')
      .where('currency', options.currency)
      .where('month', '>=', options.since)
      .orderBy('entity_ref');
    return rows.map(r => r.entity_ref);
  }

  /** The budget in force (the newest approved) of each of these apps that has one. */
  async getBudgets(entityRefs: string[]): Promise<Map<string, AppBudget>> {
    const out = new Map<string, AppBudget>();
    for (const refs of chunks([...new Set(entityRefs.map(normalizeRef))])) {
      const rows = await this.db<BudgetRow>('app_budgets')
        .whereIn('entity_ref', refs)
        .orderBy([
          { column: 'approved_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
      // ascending, so the newest of each app is set last
      for (const row of rows) out.set(row.entity_ref, toBudget(row));
    }
    return out;
  }

  /** Alerts fired for these apps (in these months, when given); by ref, month, threshold. */
  async listAlerts(
    entityRefs: string[],
    months?: string[],
  ): Promise<StoredCostAlert[]> {
    const out: StoredCostAlert[] = [];
    for (const refs of chunks([...new Set(entityRefs.map(normalizeRef))])) {
      const query = this.db<CostAlertRow>('cost_alerts').whereIn(
        'entity_ref',
        refs,
      );
      if (months) query.whereIn('month', [...new Set(months)]);
      out.push(...(await query).map(toCostAlert));
    }
    return out.sort(
      (a, b) =>
        a.entityRef.localeCompare(b.entityRef) ||
        a.month.localeCompare(b.month) ||
        a.threshold - b.threshold,
    );
  }
}
