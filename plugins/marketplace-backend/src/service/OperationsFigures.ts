import type {
  AppCostFigures,
  AppOperations,
  AppOperationsFlag,
  AppOperationsSummary,
  AppSlaFigures,
  AppSummary,
} from '@microapps/plugin-marketplace-common';
import { monthOf } from '../months';

/** An app as the figures need it. */
export type FiguresInput = Pick<
  AppSummary,
  'entityRef' | 'tier' | 'slaTier'
> & {
  monthlyForecast: number;
  support: { runbook?: string; roster?: string };
};

/** Actual cost against forecast or budget (src/cost/CostFigures.ts). */
export interface CostFiguresSource {
  summaries(
    apps: Array<{ entityRef: string; monthlyForecast: number }>,
    now: Date,
  ): Promise<Map<string, AppCostFigures>>;
  details(
    app: { entityRef: string; monthlyForecast: number },
    now: Date,
  ): Promise<AppOperations['cost']>;
}

/** Uptime, MTTA/MTTR and breaches, and the Enterprise readiness flags (src/support/SlaFigures.ts). */
export interface SlaFiguresSource {
  summaries(
    apps: Array<{ entityRef: string; slaTier?: string }>,
    now: Date,
  ): Promise<Map<string, AppSlaFigures>>;
  flags(
    app: { tier: string; support: { runbook?: string; roster?: string } },
    sla: AppSlaFigures,
    now: Date,
  ): AppOperationsFlag[];
}

/** The newest activity signal and the idle flags (src/lifecycle/idle). */
export interface ActivitySource {
  lastActivity(
    entityRefs: string[],
  ): Promise<Map<string, { at: string; signal: string }>>;
  idleRefs(entityRefs: string[]): Promise<Set<string>>;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

const noSla = (month: string): AppSlaFigures => ({
  month,
  incidents: 0,
  breaches: [],
  state: 'no-data',
});

/**
 * Joins the cost, SLA and activity figures of apps into what the list (one batch per page)
 * and the Governance tab show. Each source answers for many apps in a few queries.
 */
export class OperationsFigures {
  constructor(
    private readonly sources: {
      cost: CostFiguresSource;
      sla: SlaFiguresSource;
      activity: ActivitySource;
    },
  ) {}

  async summaries(
    apps: FiguresInput[],
    now: Date,
  ): Promise<Map<string, AppOperationsSummary>> {
    const { cost, sla, activity } = this.sources;
    const refs = apps.map(a => a.entityRef);
    const [costs, slas, idle] = await Promise.all([
      cost.summaries(apps, now),
      sla.summaries(apps, now),
      activity.idleRefs(refs),
    ]);
    const out = new Map<string, AppOperationsSummary>();
    for (const app of apps) {
      // cost and SLA figures are keyed by the lower-case ref
      const key = lower(app.entityRef);
      const figures = slas.get(key) ?? noSla(monthOf(now));
      const appCost = costs.get(key);
      if (!appCost) continue;
      out.set(app.entityRef, {
        cost: appCost,
        slaState: figures.state,
        flags: this.flags(app, figures, idle.has(app.entityRef), now),
      });
    }
    return out;
  }

  async details(app: FiguresInput, now: Date): Promise<AppOperations> {
    const { cost, sla, activity } = this.sources;
    const [appCost, slas, idle, last] = await Promise.all([
      cost.details(app, now),
      sla.summaries([app], now),
      activity.idleRefs([app.entityRef]),
      activity.lastActivity([app.entityRef]),
    ]);
    const figures = slas.get(lower(app.entityRef)) ?? noSla(monthOf(now));
    const lastActivity = last.get(app.entityRef);
    return {
      cost: appCost,
      slaState: figures.state,
      sla: figures,
      flags: this.flags(app, figures, idle.has(app.entityRef), now),
      ...(lastActivity && { lastActivity }),
    };
  }

  private flags(
    app: FiguresInput,
    figures: AppSlaFigures,
    idle: boolean,
    now: Date,
  ): AppOperationsFlag[] {
    const flags = this.sources.sla.flags(app, figures, now);
    return idle ? [...flags, 'idle'] : flags;
  }
}
