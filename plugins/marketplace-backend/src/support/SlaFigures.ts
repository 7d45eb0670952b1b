import type {
  AppOperationsFlag,
  AppSlaFigures,
  SlaTier,
} from '@microapps/plugin-marketplace-common';
import { normalizeRef } from '../database/rows';
import { monthOf, monthRange } from '../months';
import { computeSla, NO_SAMPLES } from './computeSla';
import type { DatabaseMetricsStore } from './DatabaseMetricsStore';

const DAY_MS = 24 * 60 * 60 * 1000;
/** An Enterprise app with nothing reported for this long is flagged `no-recent-metrics`. */
export const RECENT_METRICS_DAYS = 30;

/**
 * The SLA figures of apps for the current month (UTC), from the stored samples and incidents,
 * and the operations flags of Enterprise listings.
 */
export class SlaFigures {
  constructor(
    private readonly options: {
      store: Pick<
        DatabaseMetricsStore,
        'sampleTotals' | 'incidentsOpened' | 'lastReported'
      >;
      /** Response target per SLA tier, in minutes (`marketplace.support.slaTargets`). */
      slaTargets: Record<SlaTier, number>;
    },
  ) {}

  /**
   * The figures of each app for the month of `now`, keyed by the lower-case entity ref.
   * Four queries per 500 apps, whatever their number; `lastReportedAt` covers every month.
   */
  async summaries(
    apps: Array<{ entityRef: string; slaTier?: string }>,
    now: Date,
  ): Promise<Map<string, AppSlaFigures>> {
    const { store, slaTargets } = this.options;
    const month = monthOf(now);
    const { start, end } = monthRange(month);
    const refs = apps.map(a => normalizeRef(a.entityRef));
    const [samples, incidents, lastReported] = await Promise.all([
      store.sampleTotals(refs, start, end),
      store.incidentsOpened(refs, start, end),
      store.lastReported(refs),
    ]);
    const result = new Map<string, AppSlaFigures>();
    for (const app of apps) {
      const ref = normalizeRef(app.entityRef);
      result.set(
        ref,
        computeSla({
          month,
          slaTier: app.slaTier,
          targets: slaTargets,
          samples: samples.get(ref) ?? NO_SAMPLES,
          incidents: incidents.get(ref) ?? [],
          lastReportedAt: lastReported.get(ref),
          now,
        }),
      );
    }
    return result;
  }

  /**
   * Why an Enterprise listing needs attention: no runbook, no on-call roster, or no metrics
   * reported in the last 30 days. Other tiers get none.
   */
  flags(
    app: { tier: string; support: { runbook?: string; roster?: string } },
    sla: AppSlaFigures,
    now: Date,
  ): AppOperationsFlag[] {
    if (app.tier !== 'enterprise') return [];
    const flags: AppOperationsFlag[] = [];
    if (!app.support.runbook?.trim()) flags.push('no-runbook');
    if (!app.support.roster?.trim()) flags.push('no-roster');
    const recentSince = now.getTime() - RECENT_METRICS_DAYS * DAY_MS;
    if (!sla.lastReportedAt || Date.parse(sla.lastReportedAt) < recentSince) {
      flags.push('no-recent-metrics');
    }
    return flags;
  }
}
