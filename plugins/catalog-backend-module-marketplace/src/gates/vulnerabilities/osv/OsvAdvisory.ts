import type { OsvEvent } from '../versions/versionRanges';

/**
 * A severity score of an advisory, e.g. `{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/...' }`.
 *
 * @public
 */
export interface OsvSeverity {
  type: string;
  score: string;
}

/**
 * One range of affected versions; `GIT` ranges (commit hashes) are not evaluated.
 *
 * @public
 */
export interface OsvRange {
  type: string;
  repo?: string;
  events: OsvEvent[];
}

/**
 * The versions of one package an advisory affects.
 *
 * @public
 */
export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string } | null;
  ranges?: OsvRange[] | null;
  versions?: string[] | null;
  severity?: OsvSeverity[] | null;
  database_specific?: Record<string, unknown> | null;
  ecosystem_specific?: Record<string, unknown> | null;
}

/**
 * The parts of an OSV advisory (https://ossf.github.io/osv-schema/) the gate reads.
 *
 * @public
 */
export interface OsvAdvisory {
  schema_version?: string | null;
  id: string;
  modified: string;
  published?: string | null;
  withdrawn?: string | null;
  aliases?: string[] | null;
  summary?: string | null;
  details?: string | null;
  severity?: OsvSeverity[] | null;
  affected?: OsvAffected[] | null;
  database_specific?: Record<string, unknown> | null;
}
