import type { Config } from '@backstage/config';
import { readPolicyLimits } from '../gates/policy';
import { readSbomLimits } from '../gates/sbom';
import { readSecretScanLimits } from '../gates/secrets/secretScanOptions';
import { readOsvFeedLimits } from '../gates/vulnerabilities';
import { DEFAULT_READ_TIMEOUT_MS } from '../reader/createEntityReader';
import { MAX_TIMEOUT_MS } from './keys';
import { readPositiveInteger } from './readPositiveInteger';

/**
 * Reads every bound of the module at startup (sizes, counts, depths, times; the README's
 * "Bounds" table), so that a value that is not a positive integer stops the backend with an
 * error naming its key instead of failing apps later. Gates read their own sections again
 * when they evaluate; this returns what the module itself passes on.
 *
 * @internal
 */
export function readMarketplaceBounds(options: { config: Config }): {
  /** `marketplace.reading.timeoutMs`. */
  readTimeoutMs: number;
} {
  const { config } = options;
  readSbomLimits({
    config: config.getOptionalConfig('marketplace.gates.sbom'),
  });
  readSecretScanLimits({
    config: config.getOptionalConfig('marketplace.gates.secrets'),
  });
  readOsvFeedLimits({
    config: config.getOptionalConfig(
      'marketplace.gates.vulnerabilities.limits',
    ),
  });
  readPolicyLimits({ config: config.getOptionalConfig('marketplace.policy') });
  return {
    readTimeoutMs: readPositiveInteger({
      config: config.getOptionalConfig('marketplace.reading'),
      key: 'timeoutMs',
      prefix: 'marketplace.reading',
      fallback: DEFAULT_READ_TIMEOUT_MS,
      max: MAX_TIMEOUT_MS,
    }),
  };
}
