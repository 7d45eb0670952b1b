import type {
  AppOperations,
  AppOperationsSummary,
} from '@microapps/plugin-marketplace-common';

/**
 * December 2026 of an Enterprise app: €44.80 against a €40.00 forecast (+12 %, the 10 % alert
 * fired), S1 with one breach of its 1 h target, no runbook, idle since 3 Oct (usage).
 */
export const overForecastOperations: AppOperations & AppOperationsSummary = {
  cost: {
    month: '2026-12',
    actual: 44.8,
    limit: 40,
    limitKind: 'forecast',
    variance: 4.8,
    variancePercent: 12,
    state: 'over',
    alertsFired: [10],
    history: [
      { month: '2026-12', actual: 44.8 },
      { month: '2026-11', actual: 38.25 },
      { month: '2026-10', actual: 36 },
    ],
  },
  slaState: 'breached',
  sla: {
    month: '2026-12',
    slaTier: 'S1',
    responseTargetMinutes: 60,
    uptimePercent: 99.95,
    errorRatePercent: 0.125,
    incidents: 3,
    mttaMinutes: 42.5,
    mttrMinutes: 90,
    breaches: [{ incidentId: 'INC-7', minutesToAcknowledge: 75 }],
    state: 'breached',
    lastReportedAt: '2026-12-03T14:05:00.000Z',
  },
  flags: ['no-runbook', 'idle'],
  lastActivity: { at: '2026-10-03T12:00:00.000Z', signal: 'usage' },
};

/** A month within the approved budget, with the SLA met and nothing to flag. */
export const withinBudgetOperations: AppOperations & AppOperationsSummary = {
  cost: {
    month: '2026-12',
    actual: 31,
    limit: 45,
    limitKind: 'budget',
    variance: -14,
    variancePercent: -31.1,
    state: 'within',
    alertsFired: [],
    budget: {
      amount: 45,
      currency: 'EUR',
      approvedBy: 'user:default/fin',
      approvedAt: '2026-11-20T10:00:00.000Z',
      promotionId: 'p0',
    },
    history: [{ month: '2026-12', actual: 31 }],
  },
  slaState: 'met',
  sla: {
    month: '2026-12',
    slaTier: 'S2',
    responseTargetMinutes: 240,
    uptimePercent: 100,
    incidents: 0,
    breaches: [],
    state: 'met',
    lastReportedAt: '2026-12-03T14:05:00.000Z',
  },
  flags: [],
  lastActivity: { at: '2026-12-02T09:00:00.000Z', signal: 'catalog' },
};

/** A month with no costs imported and no metrics reported. */
export const noDataOperations: AppOperations & AppOperationsSummary = {
  cost: {
    month: '2026-12',
    limit: 40,
    limitKind: 'forecast',
    state: 'no-data',
    alertsFired: [],
    history: [],
  },
  slaState: 'no-data',
  sla: { month: '2026-12', incidents: 0, breaches: [], state: 'no-data' },
  flags: [],
};
