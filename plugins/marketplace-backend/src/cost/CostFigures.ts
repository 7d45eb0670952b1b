import type {
  AppBudget,
  AppCostFigures,
  AppOperations,
} from '@microapps/plugin-marketplace-common';
import type { DatabaseCostStore } from '../database/DatabaseCostStore';
import { normalizeRef } from '../database/rows';
import { monthOf } from '../months';
import {
  limitMicros,
  limitOf,
  percentOver,
  roundToCents,
  toNumber,
} from './money';

/** How many months `details` lists in `history`. */
export const COST_HISTORY_MONTHS = 6;

/**
 * The cost figures of apps for the API: actual (summed over every source, in the configured
 * currency) against the limit (the approved budget in force, else `spec.cost.monthlyForecast`)
 * for each app's latest month with actuals, or the current month (UTC) without any.
 */
export class CostFigures {
  constructor(
    private readonly options: {
      costs: Pick<
        DatabaseCostStore,
        'getMonthlyActuals' | 'getBudgets' | 'listAlerts'
      >;
      /** `marketplace.cost.currency`. */
      currency: string;
    },
  ) {}

  /**
   * Figures of many apps (a page of the list), by lower-case entity ref, with three queries
   * per 500 apps whatever their number.
   */
  async summaries(
    apps: Array<{ entityRef: string; monthlyForecast: number }>,
    now: Date,
  ): Promise<Map<string, AppCostFigures>> {
    const { costs, currency } = this.options;
    const out = new Map<string, AppCostFigures>();
    if (!apps.length) return out;
    const refs = apps.map(a => normalizeRef(a.entityRef));
    const [latest, budgets] = await Promise.all([
      costs.getMonthlyActuals(refs, { currency, latestOnly: true }),
      costs.getBudgets(refs),
    ]);
    const current = monthOf(now);
    const monthOfApp = (ref: string) =>
      [...(latest.get(ref)?.keys() ?? [])][0] ?? current;
    const alerts = await costs.listAlerts(refs, [
      ...new Set(refs.map(monthOfApp)),
    ]);
    const fired = new Map<string, number[]>();
    for (const alert of alerts) {
      const id = `${alert.entityRef}\u0000${alert.month}`;
      fired.set(id, [...(fired.get(id) ?? []), alert.threshold]);
    }
    apps.forEach((app, i) => {
      const ref = refs[i];
      const month = monthOfApp(ref);
      out.set(
        ref,
        this.figures({
          month,
          actual: latest.get(ref)?.get(month),
          budget: budgets.get(ref),
          monthlyForecast: app.monthlyForecast,
          alertsFired: fired.get(`${ref}\u0000${month}`) ?? [],
        }),
      );
    });
    return out;
  }

  /** Figures of one app with its budget and the last months with actuals (newest first). */
  async details(
    app: { entityRef: string; monthlyForecast: number },
    now: Date,
  ): Promise<AppOperations['cost']> {
    const { costs, currency } = this.options;
    const ref = normalizeRef(app.entityRef);
    const [actuals, budgets] = await Promise.all([
      costs.getMonthlyActuals([ref], { currency }),
      costs.getBudgets([ref]),
    ]);
    const history = [...(actuals.get(ref) ?? new Map<string, bigint>())]
      .sort(([a], [b]) => b.localeCompare(a))
      .slice(0, COST_HISTORY_MONTHS);
    const month = history[0]?.[0] ?? monthOf(now);
    const alerts = await costs.listAlerts([ref], [month]);
    const budget = budgets.get(ref);
    return {
      ...this.figures({
        month,
        actual: history[0]?.[1],
        budget,
        monthlyForecast: app.monthlyForecast,
        alertsFired: alerts.map(a => a.threshold),
      }),
      ...(budget && { budget }),
      history: history.map(([m, micros]) => ({
        month: m,
        actual: toNumber(micros),
      })),
    };
  }

  private figures(input: {
    month: string;
    actual?: bigint;
    budget?: AppBudget;
    monthlyForecast: number;
    alertsFired: number[];
  }): AppCostFigures {
    const { month, actual } = input;
    // a forecast that is not a number (the gates report it) counts as 0
    const limit = limitOf(input.budget, input.monthlyForecast) ?? {
      micros: limitMicros(0)!,
      kind: 'forecast' as const,
    };
    const alertsFired = [...new Set(input.alertsFired)].sort((a, b) => a - b);
    if (actual === undefined) {
      return {
        month,
        limit: toNumber(limit.micros),
        limitKind: limit.kind,
        state: 'no-data',
        alertsFired,
      };
    }
    const variancePercent = percentOver(actual, limit.micros);
    return {
      month,
      actual: toNumber(actual),
      limit: toNumber(limit.micros),
      limitKind: limit.kind,
      variance: roundToCents(actual - limit.micros),
      ...(variancePercent !== undefined && { variancePercent }),
      state: actual > limit.micros ? 'over' : 'within',
      alertsFired,
    };
  }
}
