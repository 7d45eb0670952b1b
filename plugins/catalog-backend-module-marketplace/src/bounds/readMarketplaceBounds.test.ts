import { ConfigReader } from '@backstage/config';
import { readMarketplaceBounds } from './readMarketplaceBounds';

/** Puts `value` at the dotted `key` of an otherwise empty config. */
function configWith(key: string, value: unknown) {
  const data: Record<string, any> = {};
  const parts = key.split('.');
  let at = data;
  for (const part of parts.slice(0, -1)) at = at[part] = {};
  at[parts[parts.length - 1]] = value;
  return new ConfigReader(data);
}

// Every bound of the README's table: read at startup, where a wrong value throws (and so
// stops the backend) naming the key.
const KEYS = [
  'marketplace.reading.timeoutMs',
  'marketplace.gates.sbom.maxBytes',
  'marketplace.gates.sbom.maxComponents',
  'marketplace.gates.sbom.maxDepth',
  'marketplace.gates.secrets.maxFiles',
  'marketplace.gates.secrets.maxFileBytes',
  'marketplace.gates.secrets.maxTotalBytes',
  'marketplace.gates.vulnerabilities.limits.maxEntries',
  'marketplace.gates.vulnerabilities.limits.maxEntryBytes',
  'marketplace.gates.vulnerabilities.limits.maxTotalBytes',
  'marketplace.gates.vulnerabilities.limits.maxDepth',
  'marketplace.gates.vulnerabilities.limits.timeoutMs',
  'marketplace.policy.maxListReads',
  'marketplace.policy.limits.maxPackBytes',
  'marketplace.policy.limits.maxRules',
  'marketplace.policy.limits.maxExpressionLength',
];

describe('readMarketplaceBounds', () => {
  it('accepts an empty config, with the defaults', () => {
    expect(readMarketplaceBounds({ config: new ConfigReader({}) })).toEqual({
      readTimeoutMs: 15_000,
    });
  });

  it.each(KEYS)('accepts 1 and refuses 0, -1, 2.5 for %s', key => {
    expect(() =>
      readMarketplaceBounds({ config: configWith(key, 1) }),
    ).not.toThrow();
    for (const value of [0, -1, 2.5]) {
      expect(() =>
        readMarketplaceBounds({ config: configWith(key, value) }),
      ).toThrow(`${key} must be a positive integer, got ${value}`);
    }
  });

  it.each(KEYS)(
    'refuses a value that is not a number for %s, naming the key',
    key => {
      expect(() =>
        readMarketplaceBounds({ config: configWith(key, 'lots') }),
      ).toThrow(key);
    },
  );

  it.each([
    'marketplace.reading.timeoutMs',
    'marketplace.gates.vulnerabilities.limits.timeoutMs',
  ])('caps %s at the longest timer Node can set', key => {
    expect(() =>
      readMarketplaceBounds({ config: configWith(key, 2_147_483_647) }),
    ).not.toThrow();
    expect(() =>
      readMarketplaceBounds({ config: configWith(key, 2_147_483_648) }),
    ).toThrow(`${key} must be at most 2147483647, got 2147483648`);
  });

  it('returns the configured read timeout', () => {
    expect(
      readMarketplaceBounds({
        config: configWith('marketplace.reading.timeoutMs', 500),
      }),
    ).toEqual({ readTimeoutMs: 500 });
  });
});
