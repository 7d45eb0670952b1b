import path from 'node:path';
import {
  TestDatabases,
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createTestStore } from '../../__testUtils__/testStore';
import { DatabaseCostStore } from '../../database/DatabaseCostStore';
import {
  FocusCostImporter,
  readFocusImportConfig,
  scheduleCostImportJob,
} from './FocusCostImporter';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,Tags';
const line = (cost: string, start: string, app?: string) =>
  [
    cost,
    cost,
    'EUR',
    start,
    '',
    'Compute',
    app ? `"{""x_microapp"":""${app}""}"` : '{}',
  ].join(',');

describe('FocusCostImporter', () => {
  const dir = createMockDirectory();
  const NOW = new Date('2026-12-01T06:00:00.000Z');

  async function setup() {
    const { knex } = await createTestStore(databases, 'SQLITE_3');
    const store = new DatabaseCostStore(knex);
    const logger = mockServices.logger.mock();
    const importer = new FocusCostImporter({
      store,
      logger,
      config: {
        directory: dir.path,
        tagKey: 'x_microapp',
        costColumn: 'BilledCost',
      },
      now: () => NOW,
    });
    return { store, logger, importer };
  }

  beforeEach(() => {
    const bad = Array.from({ length: 12 }, () =>
      line('x', '2026-10-01T00:00:00Z', 'quote-builder'),
    );
    dir.setContent({
      'a.csv': [
        HEADER,
        line('1.25', '2026-09-01T00:00:00Z', 'status-page'),
        line('2', '2026-09-02T00:00:00Z', 'status-page'),
        line('5', '2026-10-02T00:00:00Z'),
      ].join('\n'),
      'b.CSV': [
        HEADER,
        line('3', '2026-10-01T00:00:00Z', 'quote-builder'),
        ...bad, // lines 3..14
      ].join('\n'),
      'broken.csv': 'Cost,Currency\n1,EUR\n',
      'notes.txt': 'not a csv',
      'sub/c.csv': HEADER,
    });
  });

  it('imports every CSV file of the folder and logs a summary per file', async () => {
    const { store, logger, importer } = await setup();
    const summaries = await importer.importAll();
    expect(summaries.map(s => s.file)).toEqual([
      'a.csv',
      'b.CSV',
      'broken.csv',
    ]);
    expect(summaries[0]).toMatchObject({
      rows: 3,
      allocatedRows: 2,
      unallocatedRows: 1,
      errorCount: 0,
      currency: 'EUR',
      stored: { inserted: 1, updated: 0, unchanged: 0, deleted: 0 },
    });
    expect(summaries[1]).toMatchObject({
      rows: 13,
      allocatedRows: 1,
      errorCount: 12,
      errorLines: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    });
    expect(summaries[2].failure).toMatch(/missing column/);
    expect(logger.info).toHaveBeenCalledWith(
      'Cost import of a.csv: 3 rows, 2 allocated, 1 unallocated, 0 errors; 1 inserted, 0 updated, 0 unchanged, 0 deleted',
      expect.anything(),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Cost import of b.CSV: 13 rows, 1 allocated, 0 unallocated, 12 errors (lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, …); 1 inserted, 0 updated, 0 unchanged, 0 deleted',
      expect.anything(),
    );
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining('Cost import of broken.csv failed'),
    );
    expect(
      (
        await store.getCosts([
          'microapp:default/status-page',
          'microapp:default/quote-builder',
        ])
      ).map(c => [c.entityRef, c.month, c.amount, c.source]),
    ).toEqual([
      ['microapp:default/quote-builder', '2026-10', '3', 'b.CSV'],
      ['microapp:default/status-page', '2026-09', '3.25', 'a.csv'],
    ]);

    // a second run over the same files changes nothing
    const again = await importer.importAll();
    expect(again.map(s => s.stored)).toEqual([
      { inserted: 0, updated: 0, unchanged: 1, deleted: 0 },
      { inserted: 0, updated: 0, unchanged: 1, deleted: 0 },
      undefined,
    ]);
  });

  it('reads its configuration, resolving the folder against the working directory', () => {
    expect(
      readFocusImportConfig(mockServices.rootConfig({ data: {} })),
    ).toBeUndefined();
    expect(
      readFocusImportConfig(
        mockServices.rootConfig({
          data: { marketplace: { cost: { focus: { directory: 'costs' } } } },
        }),
      ),
    ).toEqual({
      directory: path.resolve(process.cwd(), 'costs'),
      tagKey: 'x_microapp',
      costColumn: 'BilledCost',
      importEvery: { hours: 6 },
    });
    expect(
      readFocusImportConfig(
        mockServices.rootConfig({
          data: {
            marketplace: {
              cost: {
                focus: {
                  directory: '/data/focus',
                  tagKey: 'app',
                  costColumn: 'EffectiveCost',
                  importEvery: 'PT1H',
                },
              },
            },
          },
        }),
      ),
    ).toMatchObject({
      directory: '/data/focus',
      tagKey: 'app',
      costColumn: 'EffectiveCost',
      importEvery: { hours: 1 },
    });
  });

  it('schedules the job only when the folder is configured', async () => {
    const { store, logger } = await setup();
    const scheduler = mockServices.scheduler.mock();
    expect(
      await scheduleCostImportJob({
        scheduler,
        logger,
        store,
        config: mockServices.rootConfig({ data: {} }),
      }),
    ).toBe(false);
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(
      await scheduleCostImportJob({
        scheduler,
        logger,
        store,
        config: mockServices.rootConfig({
          data: { marketplace: { cost: { focus: { directory: dir.path } } } },
        }),
      }),
    ).toBe(true);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'marketplace-cost-import',
        scope: 'global',
        frequency: { hours: 6 },
      }),
    );
  });
});
