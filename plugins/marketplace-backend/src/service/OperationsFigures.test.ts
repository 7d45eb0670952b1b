import type {
  AppCostFigures,
  AppSlaFigures,
} from '@microapps/plugin-marketplace-common';
import { monthOf } from '../months';
import { FiguresInput, OperationsFigures } from './OperationsFigures';

const now = new Date('2026-11-20T10:00:00Z');

const app = (
  name: string,
  extra: Partial<FiguresInput> = {},
): FiguresInput => ({
  entityRef: `microapp:default/${name}`,
  tier: 'enterprise',
  slaTier: 'S1',
  monthlyForecast: 40,
  support: {},
  ...extra,
});

const cost = (actual: number): AppCostFigures => ({
  month: '2026-11',
  actual,
  limit: 40,
  limitKind: 'forecast',
  state: actual > 40 ? 'over' : 'within',
  alertsFired: [],
});

function makeFigures() {
  const calls: string[][] = [];
  const sla: AppSlaFigures = {
    month: '2026-11',
    incidents: 2,
    breaches: [{ incidentId: 'i-1', minutesToAcknowledge: 90 }],
    state: 'breached',
  };
  return {
    calls,
    figures: new OperationsFigures({
      cost: {
        summaries: async apps => {
          calls.push(apps.map(a => a.entityRef));
          return new Map(
            apps.map(a => [a.entityRef.toLowerCase(), cost(a.monthlyForecast)]),
          );
        },
        details: async a => ({
          ...cost(a.monthlyForecast),
          history: [{ month: '2026-11', actual: a.monthlyForecast }],
        }),
      },
      sla: {
        // only `withsla` has metrics
        summaries: async apps =>
          new Map(
            apps
              .filter(a => a.entityRef.endsWith('withsla'))
              .map(a => [a.entityRef, sla]),
          ),
        flags: a =>
          a.tier === 'enterprise' && !a.support.runbook ? ['no-runbook'] : [],
      },
      activity: {
        idleRefs: async refs => new Set(refs.filter(r => r.endsWith('quiet'))),
        lastActivity: async refs =>
          new Map(
            refs.map(r => [
              r,
              { at: '2026-10-01T00:00:00.000Z', signal: 'usage' },
            ]),
          ),
      },
    }),
  };
}

describe('OperationsFigures', () => {
  it('asks each source once per page and joins cost, SLA state and flags per app', async () => {
    const { figures, calls } = makeFigures();
    const out = await figures.summaries(
      [
        app('withsla', { support: { runbook: 'https://wiki/run' } }),
        app('quiet', { tier: 'discover' }),
        app('Bare'),
      ],
      now,
    );
    expect(calls).toHaveLength(1);
    expect(out.get('microapp:default/withsla')).toEqual({
      cost: cost(40),
      slaState: 'breached',
      flags: [],
    });
    expect(out.get('microapp:default/quiet')).toEqual({
      cost: cost(40),
      slaState: 'no-data',
      flags: ['idle'],
    });
    // sources key by the lower-case ref; the answer keeps the app's own
    expect(out.get('microapp:default/Bare')?.flags).toEqual(['no-runbook']);
    expect(out.get('microapp:default/Bare')?.cost).toEqual(cost(40));
  });

  it('gives the details of one app with its SLA figures and last activity', async () => {
    const { figures } = makeFigures();
    const details = await figures.details(app('quiet'), now);
    expect(details.sla).toEqual({
      month: '2026-11',
      incidents: 0,
      breaches: [],
      state: 'no-data',
    });
    expect(details.flags).toEqual(['no-runbook', 'idle']);
    expect(details.lastActivity).toEqual({
      at: '2026-10-01T00:00:00.000Z',
      signal: 'usage',
    });
    expect(details.cost.history).toEqual([{ month: '2026-11', actual: 40 }]);
  });

  it('takes the month in UTC', () => {
    expect(monthOf(new Date('2026-11-30T23:30:00-02:00'))).toBe('2026-12');
  });
});
