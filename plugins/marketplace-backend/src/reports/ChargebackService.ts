import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ChargebackReport,
  ChargebackRow,
  CostCenter,
  DEFAULT_TIER,
  isMicroAppEntity,
  LABEL_TIER,
  MicroAppEntityV1alpha1,
  reportReadPermission,
} from '@microapps/plugin-marketplace-common';
import type { DatabaseCostStore } from '../database/DatabaseCostStore';
import type { AccessGuard } from '../service/AccessGuard';
import { appEntityRef, ownersOf } from '../service/AppDirectory';
import { percentOf, roundToCents, toMicros } from '../cost/money';

/** Costs of one month charged to a cost center but to none of its apps. */
export type CostCenterCostsSource = (
  month: string,
) => Promise<Array<{ costCenter: string; amount: string; currency: string }>>;

/** `YYYY-MM` with a real month. */
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const PAGE_SIZE = 500;
const FIELDS = [
  'apiVersion',
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.title',
  'metadata.labels',
  'spec.owner',
  'spec.cost',
  'relations',
];

/** Exact sums of a group, in micro-units. */
type Sum = {
  key: string;
  apps: number;
  forecast: bigint;
  actual: bigint;
  unallocated: bigint;
};

type AppFigures = {
  entityRef: string;
  title: string;
  owner: string;
  costCenter: string;
  tier: string;
  forecast: bigint;
  actual: bigint;
};

const newSum = (key: string): Sum => ({
  key,
  apps: 0,
  forecast: 0n,
  actual: 0n,
  unallocated: 0n,
});

/** Biggest overspend first (exact variance), then by key, so equal rows keep one order. */
const byOverspend = <T extends { forecast: bigint; actual: bigint }>(
  key: (t: T) => string,
) => {
  return (a: T, b: T) => {
    const va = a.actual - a.forecast;
    const vb = b.actual - b.forecast;
    if (va !== vb) return va > vb ? -1 : 1;
    return key(a).localeCompare(key(b));
  };
};

/** Variance in money and percent, rounded only here, from the exact amounts. */
function figures(forecast: bigint, actual: bigint) {
  const variance = actual - forecast;
  const percent = percentOf(variance, forecast);
  return {
    forecast: roundToCents(forecast),
    actual: roundToCents(actual),
    variance: roundToCents(variance),
    ...(percent !== undefined && { variancePercent: percent }),
  };
}

/**
 * The monthly chargeback report: every MicroApp's forecast (`spec.cost.monthlyForecast`)
 * against its actual costs (summed over every cost source), per cost center, per owner and
 * per app. Amounts are summed exactly and rounded to cents, half away from zero, only in the
 * answer; totals are the rounded sums of the exact amounts, so they may differ by a cent from
 * the sum of the rounded rows.
 */
export class ChargebackService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      guard: AccessGuard;
      costs: Pick<DatabaseCostStore, 'getCosts'>;
      /** Costs charged to a cost center with no app; none when not given. */
      getCostCenterCosts?: CostCenterCostsSource;
      /** `marketplace.cost.centers`, for the titles of cost centers. */
      costCenters?: CostCenter[];
      /** `marketplace.cost.currency`: amounts in another currency are left out. */
      currency: string;
      logger: LoggerService;
      /** The clock; tests fix it. */
      now?: () => Date;
    },
  ) {}

  async build(
    query: { month?: string },
    credentials: BackstageCredentials,
  ): Promise<ChargebackReport> {
    const { month } = query;
    if (!month || !MONTH.test(month)) {
      throw new InputError(
        `month must be a month as YYYY-MM, e.g. 2026-11; got '${month ?? ''}'`,
      );
    }
    await this.options.guard.require(reportReadPermission, credentials);

    const entities = await this.listAllApps();
    const apps = entities.map(entity => this.appOf(entity));
    const refs = apps.map(a => appEntityRef(a.entityRef));
    const [costs, centerCosts] = await Promise.all([
      this.options.costs.getCosts(refs, month),
      this.options.getCostCenterCosts?.(month) ?? Promise.resolve([]),
    ]);

    const actualByRef = new Map<string, bigint>();
    for (const cost of this.inCurrency(costs, month)) {
      const ref = appEntityRef(cost.entityRef);
      actualByRef.set(
        ref,
        (actualByRef.get(ref) ?? 0n) + toMicros(cost.amount),
      );
    }
    for (const app of apps) {
      app.actual = actualByRef.get(appEntityRef(app.entityRef)) ?? 0n;
    }

    const centers = new Map<string, Sum>();
    const owners = new Map<string, Sum>();
    const add = (groups: Map<string, Sum>, key: string) => {
      const sum = groups.get(key) ?? newSum(key);
      groups.set(key, sum);
      return sum;
    };
    const total = newSum('TOTAL');
    for (const app of apps) {
      for (const sum of [
        add(centers, app.costCenter),
        add(owners, app.owner),
        total,
      ]) {
        sum.apps += 1;
        sum.forecast += app.forecast;
        sum.actual += app.actual;
      }
    }
    for (const cost of this.inCurrency(centerCosts, month)) {
      const amount = toMicros(cost.amount);
      const center = add(centers, cost.costCenter);
      center.unallocated += amount;
      center.actual += amount;
      total.actual += amount;
    }

    const titles = new Map(
      (this.options.costCenters ?? []).map(c => [c.id, c.name]),
    );
    const row = (sum: Sum, withUnallocated: boolean): ChargebackRow => {
      const title = withUnallocated ? titles.get(sum.key) : undefined;
      return {
        key: sum.key,
        ...(title && { title }),
        apps: sum.apps,
        ...figures(sum.forecast, sum.actual),
        ...(withUnallocated &&
          sum.unallocated !== 0n && {
            unallocated: roundToCents(sum.unallocated),
          }),
      };
    };
    const sorted = (groups: Map<string, Sum>) =>
      [...groups.values()].sort(byOverspend<Sum>(s => s.key));

    const report: ChargebackReport = {
      month,
      currency: this.options.currency,
      generatedAt: (this.options.now?.() ?? new Date()).toISOString(),
      byCostCenter: sorted(centers).map(s => row(s, true)),
      byOwner: sorted(owners).map(s => row(s, false)),
      apps: apps
        .sort(byOverspend<AppFigures>(a => a.entityRef))
        .map(({ forecast, actual, ...app }) => ({
          ...app,
          ...figures(forecast, actual),
        })),
      totals: { apps: total.apps, ...figures(total.forecast, total.actual) },
    };
    if (!costs.length && !centerCosts.length && refs.length) {
      // an empty month: name the newest one with costs, so the page can offer it
      const latest = (await this.options.costs.getCosts(refs))
        .map(c => c.month)
        .sort()
        .pop();
      if (latest) report.latestMonth = latest;
    }
    return report;
  }

  /** Every MicroApp in the catalog, read with the plugin's own credentials, page by page. */
  private async listAllApps(): Promise<MicroAppEntityV1alpha1[]> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const entities: MicroAppEntityV1alpha1[] = [];
    let cursor: string | undefined;
    do {
      const response = cursor
        ? await catalog.queryEntities(
            { cursor, fields: FIELDS, limit: PAGE_SIZE },
            { credentials },
          )
        : await catalog.queryEntities(
            {
              filter: { kind: 'MicroApp' },
              fields: FIELDS,
              orderFields: { field: 'metadata.name', order: 'asc' },
              limit: PAGE_SIZE,
            },
            { credentials },
          );
      entities.push(...response.items.filter(isMicroAppEntity));
      cursor = response.pageInfo.nextCursor;
    } while (cursor);
    return entities;
  }

  private appOf(entity: MicroAppEntityV1alpha1): AppFigures {
    // a broken entity never reaches the catalog, but a report must not fail on one
    const cost = entity.spec?.cost ?? ({} as Partial<typeof entity.spec.cost>);
    return {
      entityRef: stringifyEntityRef(entity),
      title: entity.metadata.title ?? entity.metadata.name,
      owner: ownersOf(entity)[0],
      costCenter: cost.center ?? '',
      tier: entity.metadata.labels?.[LABEL_TIER] ?? DEFAULT_TIER,
      forecast: toMicros(cost.monthlyForecast),
      actual: 0n,
    };
  }

  /** The costs in the report's currency; others are left out with a warning (no rates). */
  private inCurrency<T extends { currency: string; amount: string }>(
    costs: T[],
    month: string,
  ): T[] {
    const { currency, logger } = this.options;
    const other = costs.filter(c => c.currency !== currency);
    if (other.length) {
      logger.warn(
        `Chargeback ${month}: ${other.length} cost total(s) not in ${currency} left out`,
        { month, currencies: [...new Set(other.map(c => c.currency))].join() },
      );
    }
    return costs.filter(c => c.currency === currency);
  }
}
