import type { AppRecord } from '../../database/MarketplaceStore';
import { DAY_MS, renewalOf } from './expiryRules';

const T0 = Date.parse('2027-01-01T00:00:00.000Z');
const at = (days: number) => new Date(T0 + days * DAY_MS);
const app = (overrides: Partial<AppRecord> = {}): AppRecord => ({
  entityRef: 'microapp:default/a',
  requestedTier: 'discover',
  effectiveTier: 'discover',
  gateStatus: 'pass',
  firstSeenAt: at(0).toISOString(),
  updatedAt: at(0).toISOString(),
  registeredAt: at(0).toISOString(),
  expiresAt: at(60).toISOString(),
  ...overrides,
});
const rule = { expiresAfterDays: 60, windowDays: 14 };

describe('renewalOf', () => {
  it('allows the first renewal of a period at any time', () => {
    expect(renewalOf(app(), at(1), rule)).toEqual({ allowed: true });
  });

  it('allows one renewal per period: the next opens with the window before the expiry', () => {
    // renewed on day 30: expires on day 90, its period started on day 30
    const renewed = app({
      renewedAt: at(30).toISOString(),
      expiresAt: at(90).toISOString(),
    });
    expect(renewalOf(renewed, at(75), rule)).toEqual({
      allowed: false,
      renewedAt: at(30).toISOString(),
      reason:
        'renewed on 2027-01-31; the next renewal opens on 2027-03-18, 14 days before the expiry',
    });
    expect(renewalOf(renewed, at(76), rule).allowed).toBe(true);
    expect(renewalOf(renewed, at(95), rule).allowed).toBe(true);
  });

  it('counts a renewal of an earlier period as spent', () => {
    const old = app({
      renewedAt: at(-70).toISOString(),
      expiresAt: at(60).toISOString(),
    });
    expect(renewalOf(old, at(1), rule).allowed).toBe(true);
  });

  it('refuses apps above Discover and apps without an expiry', () => {
    expect(renewalOf(app({ effectiveTier: 'vetted' }), at(1), rule)).toEqual({
      allowed: false,
      reason: 'only Discover apps expire',
    });
    expect(renewalOf(app({ expiresAt: undefined }), at(1), rule).reason).toBe(
      'the app has no expiry date: it came from a catalog location, not from a template (only apps a template registers expire)',
    );
  });
});
