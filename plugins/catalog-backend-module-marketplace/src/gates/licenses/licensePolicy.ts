import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import parseSpdx from 'spdx-expression-parse';

/**
 * Licenses allowed unless `marketplace.gates.licenses.allow` says otherwise: permissive ones
 * and MPL-2.0, whose copyleft stays within its own files.
 *
 * @public
 */
export const DEFAULT_ALLOWED_LICENSES: readonly string[] = Object.freeze([
  'MIT',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'ISC',
  '0BSD',
  'Unlicense',
  'CC0-1.0',
  'Zlib',
  'BlueOak-1.0.0',
  'Python-2.0',
  'MPL-2.0',
]);

/**
 * Licenses denied unless `marketplace.gates.licenses.deny` says otherwise: strong and network
 * copyleft and source-available licenses, in their current and deprecated spellings.
 *
 * @public
 */
export const DEFAULT_DENIED_LICENSES: readonly string[] = Object.freeze([
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'SSPL-1.0',
  'BUSL-1.1',
  'AGPL-3.0',
  'GPL-2.0',
  'GPL-2.0+',
  'GPL-3.0',
  'GPL-3.0+',
]);

/**
 * How the licenses gate judges licenses, from `marketplace.gates.licenses`.
 *
 * @public
 */
export interface LicensePolicy {
  /** Licenses that may be used; empty means anything not denied may. */
  allow: string[];
  /** Licenses that may not be used; they win over the allow list. */
  deny: string[];
  /** Whether missing, unparseable or non-SPDX licenses warn or fail. */
  unknown: 'warn' | 'fail';
}

function licenseList(options: {
  config: Config;
  key: 'allow' | 'deny';
  fallback: readonly string[];
}): string[] {
  const { config, key, fallback } = options;
  const list = config.getOptionalStringArray(key) ?? [...fallback];
  list.forEach((entry, index) => {
    let single = false;
    try {
      single = !('conjunction' in parseSpdx(entry));
    } catch {
      // reported below
    }
    if (!single) {
      throw new InputError(
        `marketplace.gates.licenses.${key}[${index}] '${entry}' is not a single SPDX license id`,
      );
    }
  });
  return list;
}

/**
 * Reads the license policy from the gate's configuration, with the defaults for what is not
 * configured; throws when an entry is not a single SPDX license.
 *
 * @public
 */
export function readLicensePolicy(options: { config: Config }): LicensePolicy {
  const { config } = options;
  const unknown = config.getOptionalString('unknown') ?? 'warn';
  if (unknown !== 'warn' && unknown !== 'fail') {
    throw new InputError(
      `marketplace.gates.licenses.unknown must be 'warn' or 'fail', got '${unknown}'`,
    );
  }
  return {
    allow: licenseList({
      config,
      key: 'allow',
      fallback: DEFAULT_ALLOWED_LICENSES,
    }),
    deny: licenseList({
      config,
      key: 'deny',
      fallback: DEFAULT_DENIED_LICENSES,
    }),
    unknown,
  };
}
