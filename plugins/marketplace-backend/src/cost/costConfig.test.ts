import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { readCostConfig } from './costConfig';

const read = (cost: object) =>
  readCostConfig(mockServices.rootConfig({ data: { marketplace: { cost } } }));

describe('readCostConfig', () => {
  it('has defaults', () => {
    expect(readCostConfig(mockServices.rootConfig({ data: {} }))).toEqual({
      currency: 'EUR',
      alertThresholds: [25, 50, 100],
      importEvery: { hours: 6 },
      focus: undefined,
    });
  });

  it('reads thresholds, the import schedule and the FOCUS provider', () => {
    expect(
      read({
        currency: 'USD',
        alertThresholds: [100, 10, 12.5],
        importEvery: 'PT1H',
        focus: { directory: 'costs', importEvery: { hours: 2 } },
      }),
    ).toEqual({
      currency: 'USD',
      alertThresholds: [10, 12.5, 100],
      importEvery: { hours: 1 },
      focus: {
        directory: path.resolve(process.cwd(), 'costs'),
        tagKey: 'x_microapp',
        costCenterTagKey: 'x_cost_center',
        costColumn: 'BilledCost',
      },
    });
    // the older key still sets the schedule; an empty list turns alerts off
    expect(
      read({
        alertThresholds: [],
        focus: {
          directory: '/data/focus',
          tagKey: 'app',
          costCenterTagKey: 'cc',
          costColumn: 'EffectiveCost',
          importEvery: { minutes: 30 },
        },
      }),
    ).toMatchObject({
      alertThresholds: [],
      importEvery: { minutes: 30 },
      focus: {
        directory: '/data/focus',
        tagKey: 'app',
        costCenterTagKey: 'cc',
        costColumn: 'EffectiveCost',
      },
    });
  });

  it.each([
    [
      { alertThresholds: 25 },
      /alertThresholds must be a list of positive numbers.*not a list; got 25/,
    ],
    [{ alertThresholds: [25, 0] }, /alertThresholds must be a list .*not 0/],
    [{ alertThresholds: [-5] }, /alertThresholds .*not -5/],
    [{ alertThresholds: ['25'] }, /alertThresholds .*not "25"/],
    [{ alertThresholds: [25, 25] }, /alertThresholds .*each threshold once/],
    [
      { alertThresholds: [12.345] },
      /alertThresholds .*12.345 has more than two decimals/,
    ],
    [{ alertThresholds: [20000] }, /alertThresholds .*not 20000/],
    [
      { currency: 'euro' },
      /marketplace.cost.currency must be an ISO 4217 code/,
    ],
    [
      { importEvery: 'often' },
      /marketplace.cost.importEvery must be a duration/,
    ],
    [
      { focus: { directory: 'x', costCenterTagKey: 'x_microapp' } },
      /marketplace.cost.focus.costCenterTagKey must differ from marketplace.cost.focus.tagKey/,
    ],
  ])('refuses %j', (cost, message) => {
    expect(() => read(cost)).toThrow(message);
  });
});
