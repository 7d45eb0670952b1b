import { TestDatabases } from '@backstage/backend-test-utils';
import { createTestStore } from '../__testUtils__/testStore';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { CostFigures } from './CostFigures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const NOW = new Date('2026-12-03T08:00:00.000Z');
const A = 'microapp:default/expense-helper';
const B = 'microapp:default/ledger';
const C = 'microapp:default/fresh';

describe.each(databases.eachSupportedId())('CostFigures on %s', databaseId => {
  async function setup() {
    const { store, knex } = await createTestStore(databases, databaseId);
    const costs = new DatabaseCostStore(knex);
    const figures = new CostFigures({ costs, currency: 'EUR' });
    const total = (entityRef: string, month: string, amount: string) => ({
      entityRef,
      month,
      amount,
      currency: 'EUR',
    });
    await costs.replaceCosts('focus:a.csv', [
      total(A, '2026-06', '1'),
      total(A, '2026-07', '2'),
      total(A, '2026-08', '3'),
      total(A, '2026-09', '4'),
      total(A, '2026-10', '30.004'),
      total(A, '2026-11', '60.333333'),
      total(B, '2026-10', '80'),
    ]);
    await costs.replaceCosts('kubecost:eu', [
      total(A, '2026-11', '39.666667'), // November: 100 in all
      total(A, '2026-05', '1000'), // beyond the six months of history
      { ...total(B, '2026-11', '999'), currency: 'USD' }, // not counted
    ]);
    const alert = (ref: string, month: string, threshold: number) =>
      store.inAppTransaction(ref, tx =>
        tx.recordCostAlert({
          month,
          threshold,
          actual: '100',
          limit: '40',
          limitKind: 'forecast',
          currency: 'EUR',
          firedAt: NOW.toISOString(),
        }),
      );
    await alert(A, '2026-11', 100);
    await alert(A, '2026-11', 25);
    await alert(A, '2026-10', 50); // another month: not in November's figures
    return { store, costs, figures, knex };
  }

  it('answers a page of apps with three queries, each for its latest month with actuals', async () => {
    const { figures, knex } = await setup();
    const queries: string[] = [];
    const count = (q: { sql: string }) => queries.push(q.sql);
    knex.on('query', count);
    const result = await figures.summaries(
      [
        { entityRef: 'MicroApp:default/Expense-Helper', monthlyForecast: 40 },
        { entityRef: B, monthlyForecast: 100 },
        { entityRef: C, monthlyForecast: 0 },
      ],
      NOW,
    );
    knex.removeListener('query', count);
    expect(queries).toHaveLength(3);
    expect(Object.fromEntries(result)).toEqual({
      [A]: {
        month: '2026-11',
        actual: 100,
        limit: 40,
        limitKind: 'forecast',
        variance: 60,
        variancePercent: 150,
        state: 'over',
        alertsFired: [25, 100],
      },
      [B]: {
        month: '2026-10',
        actual: 80,
        limit: 100,
        limitKind: 'forecast',
        variance: -20,
        variancePercent: -20,
        state: 'within',
        alertsFired: [],
      },
      [C]: {
        month: '2026-12',
        limit: 0,
        limitKind: 'forecast',
        state: 'no-data',
        alertsFired: [],
      },
    });
    expect(await figures.summaries([], NOW)).toEqual(new Map());
  });

  it('compares with the newest approved budget, rounding variance to cents and percent to one decimal', async () => {
    const { figures, store } = await setup();
    const budget = (amount: number, approvedAt: string) =>
      store.inAppTransaction(B, tx =>
        tx.recordBudget({
          amount,
          currency: 'EUR',
          approvedBy: 'user:default/bea',
          approvedAt,
          promotionId: 'p-9',
        }),
      );
    await budget(50, '2026-11-01T00:00:00.000Z');
    await budget(75.005, '2026-11-02T00:00:00.000Z');
    const result = await figures.summaries(
      [{ entityRef: B, monthlyForecast: 100 }],
      NOW,
    );
    expect(result.get(B)).toEqual({
      month: '2026-10',
      actual: 80,
      limit: 75.005,
      limitKind: 'budget',
      variance: 5, // 4.995
      variancePercent: 6.7, // 6.659…
      state: 'over',
      alertsFired: [],
    });
  });

  it('details one app with its budget and six months of history, newest first', async () => {
    const { figures, store } = await setup();
    await store.inAppTransaction(A, tx =>
      tx.recordBudget({
        amount: 120,
        currency: 'EUR',
        approvedBy: 'user:default/bea',
        approvedAt: '2026-11-20T00:00:00.000Z',
        promotionId: 'p-1',
      }),
    );
    expect(
      await figures.details({ entityRef: A, monthlyForecast: 40 }, NOW),
    ).toEqual({
      month: '2026-11',
      actual: 100,
      limit: 120,
      limitKind: 'budget',
      variance: -20,
      variancePercent: -16.7,
      state: 'within',
      alertsFired: [25, 100],
      budget: {
        amount: 120,
        currency: 'EUR',
        approvedBy: 'user:default/bea',
        approvedAt: '2026-11-20T00:00:00.000Z',
        promotionId: 'p-1',
      },
      history: [
        { month: '2026-11', actual: 100 },
        { month: '2026-10', actual: 30.004 },
        { month: '2026-09', actual: 4 },
        { month: '2026-08', actual: 3 },
        { month: '2026-07', actual: 2 },
        { month: '2026-06', actual: 1 },
      ],
    });
    expect(
      await figures.details({ entityRef: C, monthlyForecast: 12.5 }, NOW),
    ).toEqual({
      month: '2026-12',
      limit: 12.5,
      limitKind: 'forecast',
      state: 'no-data',
      alertsFired: [],
      history: [],
    });
  });
});
