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
