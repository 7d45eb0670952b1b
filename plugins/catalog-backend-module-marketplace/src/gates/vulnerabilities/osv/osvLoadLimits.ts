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
}

/**
 * Default limits: room for OSV's largest per-ecosystem exports (a few hundred thousand
 * advisories of a few KiB each), far below what would exhaust a backend's memory.
 *
 * @public
 */
export const DEFAULT_OSV_LOAD_LIMITS: Readonly<OsvLoadLimits> = Object.freeze({
  maxEntries: 500_000,
  maxEntryBytes: 8 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
});

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
