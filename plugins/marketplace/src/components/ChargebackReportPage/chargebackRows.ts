import type {
  ChargebackReport,
  ChargebackRow,
} from '@microapps/plugin-marketplace-common';

/** The client-side filters of the page, as kept in the URL. */
export type ChargebackFilters = {
  costCenter?: string;
  tier?: string;
  owner?: string;
};

export type ChargebackApp = ChargebackReport['apps'][number];

/** What the page shows: the server's rows, or rows summed again from the filtered apps. */
export type ChargebackView = {
  byCostCenter: ChargebackRow[];
  byOwner: ChargebackRow[];
  apps: ChargebackApp[];
  totals: Omit<ChargebackRow, 'key'>;
  /** True when the rows were summed from the apps' rounded figures. */
  filtered: boolean;
};

/** `2026-10` when it is some day of November 2026 (local time). */
export function previousMonth(now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** Whether nothing was charged in the month: no app and no cost center has an actual. */
export function hasNoCosts(report: ChargebackReport): boolean {
  return (
    report.latestMonth !== undefined ||
    (report.apps.every(a => a.actual === 0) &&
      report.byCostCenter.every(r => r.actual === 0))
  );
}

const cents = (amount: number) => Math.round(amount * 100);
/** Half away from zero, one decimal. */
const percent = (variance: number, forecast: number) => {
  if (forecast <= 0) return undefined;
  const tenths = (Math.abs(variance) * 1000) / forecast;
  return (Math.sign(variance) * Math.round(tenths)) / 10;
};

type Sum = {
  key: string;
  title?: string;
  apps: number;
  forecast: number;
  actual: number;
  unallocated: number;
};

function toRow(sum: Sum): ChargebackRow {
  const variance = sum.actual - sum.forecast;
  const variancePercent = percent(variance, sum.forecast);
  return {
    key: sum.key,
    ...(sum.title && { title: sum.title }),
    apps: sum.apps,
    forecast: sum.forecast / 100,
    actual: sum.actual / 100,
    variance: variance / 100,
    ...(variancePercent !== undefined && { variancePercent }),
    ...(sum.unallocated !== 0 && { unallocated: sum.unallocated / 100 }),
  };
}

/** Biggest overspend first, then by key. */
export function byOverspend(
  a: { variance: number; key?: string; entityRef?: string },
  b: { variance: number; key?: string; entityRef?: string },
): number {
  return (
    b.variance - a.variance ||
    (a.key ?? a.entityRef ?? '').localeCompare(b.key ?? b.entityRef ?? '')
  );
}

/**
 * The rows for the filters. Without filters they are the server's (summed exactly, rounded
 * once). With filters they are summed again here, in whole cents, from the apps that match:
 * the unallocated costs of a cost center count only while no tier or owner is chosen, as they
 * belong to no app.
 */
export function viewOf(
  report: ChargebackReport,
  filters: ChargebackFilters,
): ChargebackView {
  const { costCenter, tier, owner } = filters;
  if (!costCenter && !tier && !owner) {
    return {
      byCostCenter: report.byCostCenter,
      byOwner: report.byOwner,
      apps: report.apps,
      totals: report.totals,
      filtered: false,
    };
  }
  const apps = report.apps.filter(
    a =>
      (!costCenter || a.costCenter === costCenter) &&
      (!tier || a.tier === tier) &&
      (!owner || a.owner === owner),
  );
  const titles = new Map(report.byCostCenter.map(r => [r.key, r.title]));
  const centers = new Map<string, Sum>();
  const owners = new Map<string, Sum>();
  const sumOf = (map: Map<string, Sum>, key: string, title?: string) => {
    const sum = map.get(key) ?? {
      key,
      title,
      apps: 0,
      forecast: 0,
      actual: 0,
      unallocated: 0,
    };
    map.set(key, sum);
    return sum;
  };
  for (const app of apps) {
    for (const sum of [
      sumOf(centers, app.costCenter, titles.get(app.costCenter)),
      sumOf(owners, app.owner),
    ]) {
      sum.apps += 1;
      sum.forecast += cents(app.forecast);
      sum.actual += cents(app.actual);
    }
  }
  if (!tier && !owner) {
    for (const row of report.byCostCenter) {
      if (!row.unallocated || (costCenter && row.key !== costCenter)) continue;
      const sum = sumOf(centers, row.key, row.title);
      sum.unallocated += cents(row.unallocated);
      sum.actual += cents(row.unallocated);
    }
  }
  const byCostCenter = [...centers.values()].map(toRow).sort(byOverspend);
  const total = [...centers.values()].reduce(
    (t, s) => ({
      ...t,
      apps: t.apps + s.apps,
      forecast: t.forecast + s.forecast,
      actual: t.actual + s.actual,
    }),
    { key: 'TOTAL', apps: 0, forecast: 0, actual: 0, unallocated: 0 },
  );
  const totalRow = toRow(total);
  const totals = {
    apps: totalRow.apps,
    forecast: totalRow.forecast,
    actual: totalRow.actual,
    variance: totalRow.variance,
    ...(totalRow.variancePercent !== undefined && {
      variancePercent: totalRow.variancePercent,
    }),
  };
  return {
    byCostCenter,
    byOwner: [...owners.values()].map(toRow).sort(byOverspend),
    apps,
    totals,
    filtered: true,
  };
}
