import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { marketplacePlugin } from './plugin';

/** Starts the plugin alone with this `marketplace` config. */
const start = (marketplace: object) =>
  startTestBackend({
    features: [
      marketplacePlugin,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: { marketplace } }),
    ],
  });

describe('marketplace backend startup', () => {
  it.each([{}, { expiryCheck: { minutes: 5 } }, { expiryCheck: 'PT15M' }])(
    'starts with marketplace.tiers.discover %j',
    async discover => {
      const backend = await start({ tiers: { discover } });
      expect(backend.server).toBeDefined();
      await backend.stop();
    },
  );

  it.each([
    [
      { expiresAfterDays: 120 },
      /expiresAfterDays must be a whole number of days from 30 to 90, got 120/,
    ],
    [{ expiresAfterDays: 29 }, /from 30 to 90, got 29/],
    [
      { warnDaysBefore: [14, 0] },
      /warnDaysBefore must be a list of whole numbers of days, each from 1 to 59/,
    ],
    [{ expiresAfterDays: 30, warnDaysBefore: [30] }, /each from 1 to 29/],
  ])(
    'refuses to start with marketplace.tiers.discover %j',
    async (discover, message) => {
      await expect(start({ tiers: { discover } })).rejects.toThrow(message);
    },
  );

  it.each([{ expiryCheck: 'soon' }, { expiryCheck: { fortnights: 1 } }])(
    'refuses to start with an unreadable expiryCheck %j',
    async discover => {
      await expect(start({ tiers: { discover } })).rejects.toThrow(
        /expiryCheck/,
      );
    },
  );

  it.each([
    [
      { alertThresholds: [25, -1] },
      /marketplace.cost.alertThresholds must be a list of positive numbers/,
    ],
    [{ alertThresholds: 'often' }, /marketplace.cost.alertThresholds/],
    [{ currency: 'euro' }, /marketplace.cost.currency/],
  ])('refuses to start with marketplace.cost %j', async (cost, message) => {
    await expect(start({ cost })).rejects.toThrow(message);
  });

  it('starts with cost alert thresholds and a FOCUS folder', async () => {
    const backend = await start({
      cost: { alertThresholds: [10, 20], focus: { directory: '/tmp' } },
    });
    expect(backend.server).toBeDefined();
    await backend.stop();
  });
});
