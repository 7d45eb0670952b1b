import type { LoggerService } from '@backstage/backend-plugin-api';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type { DatabaseCostStore } from '../database/DatabaseCostStore';
import { governanceLink, type AppDirectory } from '../service/AppDirectory';
import type { Notice } from '../service/Notifier';
import type { ChangeRunner } from '../service/workflow/ChangeRunner';
import { formatMicros } from './focus/decimal';
import { addMonths, monthOf } from '../months';
import { exceeds, limitOf, percentOver, toNumber } from './money';

const ACTOR = 'plugin:marketplace';

/** How many months back (besides the current one) the check looks: late charges still alert. */
export const ALERT_LOOKBACK_MONTHS = 2;

const money = (micros: bigint) => toNumber(micros).toFixed(2);

/**
 * Overrun alerts: for each app with actuals in the current month or the two before, each
 * threshold t with actual > limit × (1 + t/100) fires once per app, month and threshold: a
 * `cost_alerts` row, a `cost.alert` audit entry and a notice to the app's owners, in one
 * transaction per app. Running it again fires nothing new.
 */
export class CostAlertService {
  constructor(
    private readonly options: {
      costs: DatabaseCostStore;
      directory: Pick<AppDirectory, 'getApps'>;
      changes: ChangeRunner;
      logger: LoggerService;
      /** Percent over the limit, ascending. */
      thresholds: number[];
      currency: string;
      now?: () => Date;
    },
  ) {}

  /** One check of every app with recent actuals; returns how many alerts fired. */
  async runOnce(): Promise<number> {
    const { costs, directory, logger, thresholds, currency } = this.options;
    if (!thresholds.length) return 0;
    const now = this.options.now?.() ?? new Date();
    const since = addMonths(monthOf(now), -ALERT_LOOKBACK_MONTHS);
    const window = Array.from({ length: ALERT_LOOKBACK_MONTHS + 1 }, (_, i) =>
      addMonths(since, i),
    );
    const refs = await costs.listAppsWithActuals({ currency, since });
    let fired = 0;
    for (let i = 0; i < refs.length; i += 200) {
      const chunk = refs.slice(i, i + 200);
      const [actuals, entities, budgets, alerts] = await Promise.all([
        costs.getMonthlyActuals(chunk, { currency, since }),
        directory.getApps(chunk),
        costs.getBudgets(chunk),
        costs.listAlerts(chunk, window),
      ]);
      const done = new Set(
        alerts.map(a => `${a.entityRef}\u0000${a.month}\u0000${a.threshold}`),
      );
      for (const ref of chunk) {
        const entity = entities.get(ref);
        if (!entity) {
          logger.debug(`No cost alerts for '${ref}': not in the catalog`);
          continue;
        }
        const months = actuals.get(ref) ?? new Map<string, bigint>();
        const limit = limitOf(
          budgets.get(ref),
          entity.spec.cost?.monthlyForecast,
        );
        // decided on reads before the lock; checked again under it
        const due =
          limit &&
          [...months].some(([month, actual]) =>
            thresholds.some(
              t =>
                exceeds(actual, limit.micros, t) &&
                !done.has(`${ref}\u0000${month}\u0000${t}`),
            ),
          );
        if (!due) continue;
        try {
          fired += await this.fire(ref, entity, months, now);
        } catch (error) {
          logger.error(`Cost alert check of '${ref}' failed: ${error}`);
        }
      }
    }
    if (fired) logger.info(`Cost alerts: ${fired} fired`, { fired });
    return fired;
  }

  private async fire(
    entityRef: string,
    entity: MicroAppEntityV1alpha1,
    months: Map<string, bigint>,
    now: Date,
  ): Promise<number> {
    const { thresholds, currency, changes } = this.options;
    const title = entity.metadata.title ?? entity.metadata.name;
    return changes.run(entityRef, async tx => {
      const limit = limitOf(
        await tx.getBudget(),
        entity.spec.cost?.monthlyForecast,
      );
      if (!limit) return { result: 0, audit: [] };
      const audit = [];
      const notices: Notice[] = [];
      for (const [month, actual] of [...months].sort(([a], [b]) =>
        a.localeCompare(b),
      )) {
        for (const threshold of thresholds) {
          if (!exceeds(actual, limit.micros, threshold)) continue;
          const recorded = await tx.recordCostAlert({
            month,
            threshold,
            actual: formatMicros(actual),
            limit: formatMicros(limit.micros),
            limitKind: limit.kind,
            currency,
            firedAt: now.toISOString(),
          });
          if (!recorded) continue;
          audit.push(
            await tx.appendAudit({
              actor: ACTOR,
              action: 'cost.alert',
              entityRef,
              data: {
                month,
                threshold,
                actual: toNumber(actual),
                limit: toNumber(limit.micros),
                limitKind: limit.kind,
                currency,
              },
            }),
          );
          const over = percentOver(actual, limit.micros);
          notices.push({
            to: [entityRef],
            title: `Cost alert: ${title} is more than ${threshold} % over its ${limit.kind} in ${month}`,
            description: `${entityRef} cost ${money(
              actual,
            )} ${currency} in ${month}, ${
              over === undefined ? 'above' : `${over} % above`
            } its monthly ${limit.kind} of ${money(limit.micros)} ${currency}.`,
            link: governanceLink(entityRef),
            severity: threshold >= 100 ? 'high' : 'normal',
          });
        }
      }
      return { result: audit.length, audit, notices };
    });
  }
}
