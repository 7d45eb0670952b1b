import type { Config } from '@backstage/config';
import { BOUND_KEYS, MAX_TIMEOUT_MS } from '../../../bounds/keys';
import { readPositiveInteger } from '../../../bounds/readPositiveInteger';
import type { OsvAdvisory } from './OsvAdvisory';

/**
 * Bounds on what a feed may hold, against zip bombs and runaway memory.
 *
 * @public
 */
export interface OsvLoadLimits {
  /** Files in a folder or entries in a zip, including ones that are not advisories. */
  maxEntries: number;
  /** Uncompressed bytes of one advisory file. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all files together. */
  maxTotalBytes: number;
  /** Deepest nesting of objects and arrays in one advisory. */
  maxDepth: number;
}

/**
 * Default limits: room for OSV's largest per-ecosystem exports (a few hundred thousand
 * advisories of a few KiB each), far below what would exhaust a backend's memory. Advisories
 * nest about 7 levels (affected, ranges, events); 64 leaves room for `database_specific`.
 * Set by `marketplace.gates.vulnerabilities.limits`.
 *
 * @public
 */
export const DEFAULT_OSV_LOAD_LIMITS: Readonly<OsvLoadLimits> = Object.freeze({
  maxEntries: 500_000,
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxDepth: 64,
});

/**
 * Default time one load of a feed given as a URL may take, download included
 * (`marketplace.gates.vulnerabilities.limits.timeoutMs`): OSV's largest exports are some
 * hundred MiB.
 *
 * @public
 */
export const DEFAULT_OSV_FEED_TIMEOUT_MS = 300_000;

/**
 * A file of a feed that could not be read; the rest of the feed still loads.
 *
 * @public
 */
export interface OsvLoadError {
  /** The file name inside the folder or zip. */
  file: string;
  error: string;
}

/**
 * The advisories read from a feed and the files that were skipped.
 *
 * @public
 */
export interface OsvLoadResult {
  advisories: OsvAdvisory[];
  errors: OsvLoadError[];
}

/**
 * Reads the feed's bounds, `marketplace.gates.vulnerabilities.limits`; a value that is not a
 * positive integer throws an InputError naming the key, which stops the backend at start.
 *
 * @internal
 */
export function readOsvFeedLimits(options: {
  /** `marketplace.gates.vulnerabilities.limits`. */
  config: Config | undefined;
}): OsvLoadLimits & { timeoutMs: number } {
  const read = (key: keyof OsvLoadLimits | 'timeoutMs', fallback: number) =>
    readPositiveInteger({
      config: options.config,
      key,
      prefix: BOUND_KEYS.osv,
      fallback,
      ...(key === 'timeoutMs' && { max: MAX_TIMEOUT_MS }),
    });
  return {
    maxEntries: read('maxEntries', DEFAULT_OSV_LOAD_LIMITS.maxEntries),
    maxEntryBytes: read('maxEntryBytes', DEFAULT_OSV_LOAD_LIMITS.maxEntryBytes),
    maxTotalBytes: read('maxTotalBytes', DEFAULT_OSV_LOAD_LIMITS.maxTotalBytes),
    maxDepth: read('maxDepth', DEFAULT_OSV_LOAD_LIMITS.maxDepth),
    timeoutMs: read('timeoutMs', DEFAULT_OSV_FEED_TIMEOUT_MS),
  };
}
