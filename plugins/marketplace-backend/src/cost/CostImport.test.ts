import {
  TestDatabases,
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import type { CostProvider } from '@microapps/plugin-marketplace-node';
import { createTestStore } from '../__testUtils__/testStore';
import { DatabaseCostStore } from '../database/DatabaseCostStore';
import { CostImporter, scheduleCostImportJob } from './CostImport';
import { FocusCostProvider } from './focus/FocusCostProvider';
import {
  DEFAULT_FOCUS_LIMITS,
  FOCUS_LIMIT_KEYS,
  type FocusLimits,
} from './focus/focusLimits';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const HEADER = 'BilledCost,BillingCurrency,ChargePeriodStart,Tags';
const NOW = new Date('2026-12-01T06:00:00.000Z');
const SP = 'microapp:default/status-page';

describe('CostImporter', () => {
  const dir = createMockDirectory();

  beforeEach(() => {
    dir.setContent({
      'a.csv': [
        HEADER,
        '1.25,EUR,2026-11-01T00:00:00Z,"{""x_microapp"":""status-page""}"',
        '7.5,EUR,2026-11-03T00:00:00Z,"{""x_cost_center"":""CC-4711""}"',
      ].join('\n'),
    });
  });

  async function setup(extra: CostProvider[] = []) {
    const { knex } = await createTestStore(databases, 'SQLITE_3');
    const costs = new DatabaseCostStore(knex);
    const logger = mockServices.logger.mock();
    const alerts = { runOnce: jest.fn(async () => 2) };
    const focus = new FocusCostProvider({
      logger,
      config: {
        directory: dir.path,
        tagKey: 'x_microapp',
        costCenterTagKey: 'x_cost_center',
        costColumn: 'BilledCost',
      },
    });
    const importer = new CostImporter({
      providers: [focus, ...extra],
      costs,
      alerts,
      logger,
      currency: 'EUR',
      now: () => NOW,
    });
    return { costs, logger, alerts, importer };
  }

  it('stores every batch of every provider, then checks the alerts; a rerun changes nothing', async () => {
    const other: CostProvider = {
      id: 'kubecost',
      readCosts: async () => [
        {
          source: 'kubecost:cluster-eu',
          totals: [
            { entityRef: SP, month: '2026-11', amount: '2', currency: 'EUR' },
          ],
        },
      ],
    };
    const { costs, logger, alerts, importer } = await setup([other]);
    const run = await importer.runOnce();
    expect(run).toEqual({
      stored: [
        {
          provider: 'focus',
          source: 'focus:a.csv',
          inserted: 2,
          updated: 0,
          unchanged: 0,
          deleted: 0,
        },
        {
          provider: 'kubecost',
          source: 'kubecost:cluster-eu',
          inserted: 1,
          updated: 0,
          unchanged: 0,
          deleted: 0,
        },
      ],
      failures: [],
      alertsFired: 2,
    });
    expect(alerts.runOnce).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith(
      'Stored costs of focus:a.csv: 2 inserted, 0 updated, 0 unchanged, 0 deleted',
      expect.anything(),
    );
    expect(
      (await costs.getCosts([SP])).map(c => [c.source, c.amount, c.importedAt]),
    ).toEqual([
      ['focus:a.csv', '1.25', NOW.toISOString()],
      ['kubecost:cluster-eu', '2', NOW.toISOString()],
    ]);
    expect(await costs.getCostCenterCosts('2026-11')).toEqual([
      { costCenter: 'CC-4711', amount: '7.5', currency: 'EUR' },
    ]);
    const again = await importer.runOnce();
    expect(again.stored.map(s => [s.unchanged, s.inserted])).toEqual([
      [2, 0],
      [1, 0],
    ]);
  });

  it('logs a failing provider, a foreign source and a bad batch, and stores the rest', async () => {
    const failing: CostProvider = {
      id: 'broken',
      readCosts: async () => {
        throw new Error('token expired');
      },
    };
    const sloppy: CostProvider = {
      id: 'sloppy',
      readCosts: async () => [
        { source: 'focus:a.csv', totals: [] }, // would wipe the FOCUS file's rows
        {
          source: 'sloppy:bad',
          totals: [
            { entityRef: SP, month: 'November', amount: '1', currency: 'EUR' },
          ],
        },
        {
          source: 'sloppy:good',
          totals: [
            { entityRef: SP, month: '2026-10', amount: '4', currency: 'USD' },
          ],
        },
      ],
    };
    const { costs, logger, alerts, importer } = await setup([failing, sloppy]);
    const run = await importer.runOnce();
    expect(run.stored.map(s => s.source)).toEqual([
      'focus:a.csv',
      'sloppy:good',
    ]);
    expect(run.failures).toEqual([
      { provider: 'broken', error: 'token expired' },
      {
        provider: 'sloppy',
        source: 'focus:a.csv',
        error: "source 'focus:a.csv' does not start with 'sloppy:'",
      },
      {
        provider: 'sloppy',
        source: 'sloppy:bad',
        error: expect.stringContaining("Bad month 'November'"),
      },
    ]);
    expect(logger.error).toHaveBeenCalledWith(
      "Cost provider 'broken' failed: token expired",
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Stored costs of sloppy:good: 1 inserted, 0 updated, 0 unchanged, 0 deleted; amounts in USD are not counted (marketplace.cost.currency is EUR)',
      expect.anything(),
    );
    expect((await costs.getCosts([SP])).map(c => c.source)).toEqual([
      'sloppy:good',
      'focus:a.csv',
    ]);
    expect(alerts.runOnce).toHaveBeenCalledTimes(1);
  });

  describe('a FOCUS file over a limit', () => {
    // the next export of a.csv: other amounts, two rows
    const next = [
      ['BilledCost', 'BillingCurrency', 'ChargePeriodStart', 'Tags'],
      ['9.99', 'EUR', '2026-11-01T00:00:00Z', '{"x_microapp":"status-page"}'],
      ['3', 'EUR', '2026-11-03T00:00:00Z', '{"x_cost_center":"CC-4711"}'],
    ];
    const content = next
      .map(r =>
        r.map(f => (f.includes('"') ? `"${f.replace(/"/g, '""')}"` : f)),
      )
      .map(r => r.join(','))
      .join('\n');
    // csv-parse's measure of a record: its fields' bytes
    const longest = Math.max(...next.map(r => r.join('').length));

    async function importWith(
      costs: DatabaseCostStore,
      limits: Partial<FocusLimits>,
    ) {
      const logger = mockServices.logger.mock();
      let t = 0;
      const importer = new CostImporter({
        providers: [
          new FocusCostProvider({
            logger,
            config: {
              directory: dir.path,
              tagKey: 'x_microapp',
              costCenterTagKey: 'x_cost_center',
              costColumn: 'BilledCost',
            },
            limits: { ...DEFAULT_FOCUS_LIMITS, ...limits },
            // a minute per look at the clock: the second row is read 2 minutes in
            now: () => (t += 60_000),
          }),
        ],
        costs,
        logger,
        currency: 'EUR',
        now: () => NOW,
      });
      return { run: await importer.runOnce(), logger };
    }
    const stored = async (costs: DatabaseCostStore) => [
      (await costs.getCosts([SP])).map(c => [c.source, c.amount]),
      await costs.getCostCenterCosts('2026-11'),
    ];

    it.each<[keyof FocusLimits, number]>([
      ['maxFileBytes', Buffer.byteLength(content)],
      ['maxRows', 2],
      ['maxRecordBytes', longest],
      ['timeoutMs', 120_000],
    ])(
      'is refused one over %s, keeping what the last import stored; at the limit it replaces it',
      async (limit, atLimit) => {
        const { knex } = await createTestStore(databases, 'SQLITE_3');
        const costs = new DatabaseCostStore(knex);
        await importWith(costs, {});
        const before = await stored(costs);
        expect(before).toEqual([
          [['focus:a.csv', '1.25']],
          [{ costCenter: 'CC-4711', amount: '7.5', currency: 'EUR' }],
        ]);

        dir.setContent({ 'a.csv': content });
        const over = await importWith(costs, { [limit]: atLimit - 1 });
        expect(over.run.stored).toEqual([]);
        expect(over.logger.error).toHaveBeenCalledTimes(1);
        const [message] = over.logger.error.mock.calls[0];
        expect(message).toMatch(
          /^Cost import of a\.csv refused, the costs stored from focus:a\.csv are kept: /,
        );
        expect(message).toContain(`over the limit of ${atLimit - 1} `);
        expect(message).toContain(`(${FOCUS_LIMIT_KEYS[limit]})`);
        expect(await stored(costs)).toEqual(before);

        const at = await importWith(costs, { [limit]: atLimit });
        expect(at.run.stored).toEqual([
          expect.objectContaining({ source: 'focus:a.csv', updated: 2 }),
        ]);
        expect(await stored(costs)).toEqual([
          [['focus:a.csv', '9.99']],
          [{ costCenter: 'CC-4711', amount: '3', currency: 'EUR' }],
        ]);
      },
    );
  });

  it('logs a failing alert check without failing the run', async () => {
    const { logger, alerts, importer } = await setup();
    alerts.runOnce.mockRejectedValueOnce(new Error('catalog down'));
    const run = await importer.runOnce();
    expect(run.alertsFired).toBeUndefined();
    expect(run.stored).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledWith(
      'Cost alert check failed: Error: catalog down',
    );
  });

  it('schedules the job only when there is a provider', async () => {
    const { importer } = await setup();
    const scheduler = mockServices.scheduler.mock();
    expect(
      await scheduleCostImportJob({
        scheduler,
        importer,
        providers: [],
        frequency: { hours: 6 },
      }),
    ).toBe(false);
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(
      await scheduleCostImportJob({
        scheduler,
        importer,
        providers: [{ id: 'x', readCosts: async () => [] }],
        frequency: { hours: 1 },
      }),
    ).toBe(true);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'marketplace-cost-import',
        scope: 'global',
        frequency: { hours: 1 },
      }),
    );
  });
});
