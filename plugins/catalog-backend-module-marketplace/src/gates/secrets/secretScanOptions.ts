import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import { BOUND_KEYS } from '../../bounds/keys';
import { readPositiveInteger } from '../../bounds/readPositiveInteger';

/**
 * Bounds on one secret scan.
 *
 * @public
 */
export interface SecretScanLimits {
  /** Most files (outside vendored folders) a tree may hold. */
  maxFiles: number;
  /** Larger files are skipped and reported as an `info` finding. */
  maxFileBytes: number;
  /** Most bytes read from the tree in total, binaries and skipped files included. */
  maxTotalBytes: number;
}

/**
 * A setting for one rule of the recommended preset, in secretlint's own format.
 *
 * @public
 */
export interface SecretScanRuleSetting {
  /** Rule id, e.g. `@secretlint/secretlint-rule-basicauth`. */
  id: string;
  /** `error` findings are credentials (critical); `warning` and `info` become medium. */
  severity?: 'error' | 'warning' | 'info';
  disabled?: boolean;
  /** Message ids of the rule to suppress, e.g. `AWSAccountID`. */
  allowMessageIds?: string[];
  /** The rule's own options, e.g. `allows` patterns for known false positives. */
  options?: JsonObject;
}

/**
 * The defaults of {@link SecretScanLimits}.
 *
 * @public
 */
export const DEFAULT_SECRET_SCAN_LIMITS: Readonly<SecretScanLimits> =
  Object.freeze({
    maxFiles: 5000,
    maxFileBytes: 1024 * 1024,
    maxTotalBytes: 50 * 1024 * 1024,
  });

/**
 * Rules the gate turns off by default. The filter-comments rule lets `secretlint-disable`
 * comments in the scanned source hide findings, and the source belongs to the submitter;
 * exceptions go through the marketplace instead.
 *
 * @internal
 */
export const DEFAULT_SECRET_SCAN_RULES: readonly SecretScanRuleSetting[] =
  Object.freeze([
    { id: '@secretlint/secretlint-rule-filter-comments', disabled: true },
  ]);

const SEVERITIES = ['error', 'warning', 'info'] as const;

/**
 * Reads the gate's bounds from its section, `marketplace.gates.secrets`; a value that is not
 * a positive integer throws an InputError naming the key. The module reads them at startup
 * too, so there a wrong value stops the backend.
 *
 * @internal
 */
export function readSecretScanLimits(options: {
  config: Config | undefined;
}): SecretScanLimits {
  const limit = (key: keyof SecretScanLimits) =>
    readPositiveInteger({
      config: options.config,
      key,
      prefix: BOUND_KEYS.secrets,
      fallback: DEFAULT_SECRET_SCAN_LIMITS[key],
    });
  return {
    maxFiles: limit('maxFiles'),
    maxFileBytes: limit('maxFileBytes'),
    maxTotalBytes: limit('maxTotalBytes'),
  };
}

/**
 * Reads the gate's configuration, `marketplace.gates.secrets`.
 *
 * @internal
 */
export function readSecretScanOptions(options: { config: Config }): {
  limits: SecretScanLimits;
  rules: SecretScanRuleSetting[];
} {
  const { config } = options;
  const rules = (config.getOptionalConfigArray('rules') ?? []).map(rule => {
    const severity = rule.getOptionalString('severity');
    if (
      severity !== undefined &&
      !(SEVERITIES as readonly string[]).includes(severity)
    ) {
      throw new InputError(
        `marketplace.gates.secrets.rules: severity must be one of ${SEVERITIES.join(
          ', ',
        )}, got '${severity}'`,
      );
    }
    return {
      id: rule.getString('id'),
      severity: severity as SecretScanRuleSetting['severity'],
      disabled: rule.getOptionalBoolean('disabled'),
      allowMessageIds: rule.getOptionalStringArray('allowMessageIds'),
      options: rule.getOptionalConfig('options')?.get<JsonObject>(),
    };
  });
  return { limits: readSecretScanLimits({ config }), rules };
}
