import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { FocusCostProvider } from './FocusCostProvider';

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ServiceName,Tags';
const tags = (value: object) =>
  `"${JSON.stringify(value).replace(/"/g, '""')}"`;
const line = (cost: string, start: string, tag: object = {}) =>
  [cost, cost, 'EUR', start, '', 'Compute', tags(tag)].join(',');

describe('FocusCostProvider', () => {
  const dir = createMockDirectory();

  function setup(config: { tagKey?: string; costCenterTagKey?: string } = {}) {
    const logger = mockServices.logger.mock();
    const provider = new FocusCostProvider({
      logger,
      config: {
        directory: dir.path,
        tagKey: config.tagKey ?? 'x_microapp',
        costCenterTagKey: config.costCenterTagKey ?? 'x_cost_center',
        costColumn: 'BilledCost',
      },
    });
    return { logger, provider };
  }

  beforeEach(() => {
    const bad = Array.from({ length: 12 }, () =>
      line('x', '2026-10-01T00:00:00Z', { x_microapp: 'quote-builder' }),
    );
    dir.setContent({
      'a.csv': [
        HEADER,
        line('1.25', '2026-09-01T00:00:00Z', { x_microapp: 'status-page' }),
        line('2', '2026-09-02T00:00:00Z', { x_microapp: 'status-page' }),
        line('5', '2026-10-02T00:00:00Z'),
        line('7.5', '2026-10-03T00:00:00Z', { x_cost_center: 'CC-4711' }),
      ].join('\n'),
      'b.CSV': [
        HEADER,
        line('3', '2026-10-01T00:00:00Z', { x_microapp: 'quote-builder' }),
        ...bad, // lines 3..14
      ].join('\n'),
      'broken.csv': 'Cost,Currency\n1,EUR\n',
      'notes.txt': 'not a csv',
      'sub/c.csv': HEADER,
    });
  });

  it('makes each CSV file of the folder one batch, source focus:<file>, and logs a summary per file', async () => {
    const { provider, logger } = setup();
    expect(provider.id).toBe('focus');
    const batches = await provider.readCosts();
    expect(batches).toEqual([
      {
        source: 'focus:a.csv',
        totals: [
          {
            entityRef: 'microapp:default/status-page',
            month: '2026-09',
            amount: '3.25',
            currency: 'EUR',
          },
        ],
        costCenterTotals: [
          {
            costCenter: 'CC-4711',
            month: '2026-10',
            amount: '7.5',
            currency: 'EUR',
          },
        ],
      },
      {
        source: 'focus:b.CSV',
        totals: [
          {
            entityRef: 'microapp:default/quote-builder',
            month: '2026-10',
            amount: '3',
            currency: 'EUR',
          },
        ],
        costCenterTotals: [],
      },
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      'Cost import of a.csv: 4 rows, 2 allocated, 1 to cost centers, 1 unallocated, 0 errors',
      expect.objectContaining({ source: 'focus:a.csv', unallocatedRows: 1 }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'Cost import of b.CSV: 13 rows, 1 allocated, 0 to cost centers, 0 unallocated, 12 errors (lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, …)',
      expect.objectContaining({ errorCount: 12 }),
    );
    // a file that is no FOCUS export yields no batch: what it stored stays
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Cost import of broken.csv failed: Not a FOCUS export: missing column/,
      ),
    );
    const files = await provider.readFiles();
    expect(files.map(f => [f.summary.file, !!f.batch])).toEqual([
      ['a.csv', true],
      ['b.CSV', true],
      ['broken.csv', false],
    ]);
  });

  it('reads the tags it is configured with', async () => {
    const { provider } = setup({
      tagKey: 'x_cost_center',
      costCenterTagKey: 'x_microapp',
    });
    const [a] = await provider.readCosts();
    expect(a.totals.map(t => t.entityRef)).toEqual([
      'microapp:default/cc-4711',
    ]);
    expect(a.costCenterTotals?.map(t => [t.costCenter, t.amount])).toEqual([
      ['status-page', '3.25'],
    ]);
  });

  it('fails as a whole when the folder cannot be read', async () => {
    const logger = mockServices.logger.mock();
    const provider = new FocusCostProvider({
      logger,
      config: {
        directory: `${dir.path}/missing`,
        tagKey: 'x_microapp',
        costCenterTagKey: 'x_cost_center',
        costColumn: 'BilledCost',
      },
    });
    await expect(provider.readCosts()).rejects.toThrow(/ENOENT/);
  });
});
