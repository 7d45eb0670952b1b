import { ConfigReader } from '@backstage/config';
import { readWorkflowConfig } from './readWorkflowConfig';

const read = (marketplace: object) =>
  readWorkflowConfig(new ConfigReader({ marketplace }));

describe('readWorkflowConfig: marketplace.tiers.discover.expiresAfterDays', () => {
  it('defaults to 60 days', () => {
    expect(read({}).discoverExpiresAfterDays).toBe(60);
  });

  it.each([30, 45, 90])('accepts %i days', days => {
    expect(
      read({ tiers: { discover: { expiresAfterDays: days } } })
        .discoverExpiresAfterDays,
    ).toBe(days);
  });

  it.each([29, 91, 0, -5, 45.5])('refuses %p, naming the key', days => {
    expect(() =>
      read({ tiers: { discover: { expiresAfterDays: days } } }),
    ).toThrow(
      /^marketplace\.tiers\.discover\.expiresAfterDays must be a whole number of days from 30 to 90/,
    );
  });
});

describe('readWorkflowConfig: marketplace.tiers.discover.warnDaysBefore', () => {
  it('defaults to 14, 7 and 1 days', () => {
    expect(read({}).discoverWarnDaysBefore).toEqual([14, 7, 1]);
  });

  it('sorts the days largest first and drops repeats', () => {
    expect(
      read({ tiers: { discover: { warnDaysBefore: [1, 20, 7, 7] } } })
        .discoverWarnDaysBefore,
    ).toEqual([20, 7, 1]);
  });

  it.each([[[0]], [[-1]], [[2.5]], [['7']], [[60]], [[59, 60]], ['7']])(
    'refuses %p, naming the key',
    days => {
      expect(() =>
        read({ tiers: { discover: { warnDaysBefore: days } } }),
      ).toThrow(
        /^marketplace\.tiers\.discover\.warnDaysBefore must be a list of whole numbers of days, each from 1 to 59/,
      );
    },
  );

  it('measures against the configured expiry', () => {
    expect(() =>
      read({
        tiers: { discover: { expiresAfterDays: 30, warnDaysBefore: [30] } },
      }),
    ).toThrow(/each from 1 to 29/);
  });
});
