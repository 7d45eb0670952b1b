import type { FindingSeverity } from '@microapps/plugin-marketplace-common';
import { cvss3BaseScore } from './cvss3BaseScore';
import type { OsvAdvisory } from './OsvAdvisory';

/**
 * An advisory's severity and where it came from.
 *
 * @public
 */
export interface AdvisorySeverity {
  severity: FindingSeverity;
  /** `database`: `database_specific.severity`; `cvss`: computed from a CVSS v3 vector; `unknown`: neither, so `medium` is assumed. */
  source: 'database' | 'cvss' | 'unknown';
  /** The CVSS v3 base score, when the severity was computed from one. */
  score?: number;
}

/** GitHub's ratings (any case); MODERATE is GitHub's word for medium. */
const DATABASE_RATINGS: Record<string, FindingSeverity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  MEDIUM: 'medium',
  LOW: 'low',
};

/** The CVSS v3 qualitative rating of a base score. */
function ratingOf(score: number): FindingSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'info';
}

/**
 * The severity of an advisory: its `database_specific.severity` when it has one, else the
 * rating of its first valid CVSS v3 vector (top-level or per affected package), else
 * `medium` with source `unknown`.
 *
 * @public
 */
export function advisorySeverity(options: {
  advisory: OsvAdvisory;
}): AdvisorySeverity {
  const { advisory } = options;
  const rating = advisory.database_specific?.severity;
  if (typeof rating === 'string') {
    const severity = DATABASE_RATINGS[rating.trim().toUpperCase()];
    if (severity) return { severity, source: 'database' };
  }
  const scores = [
    ...(advisory.severity ?? []),
    ...(advisory.affected ?? []).flatMap(a => a.severity ?? []),
  ];
  for (const { type, score } of scores) {
    if (type !== 'CVSS_V3') continue;
    const base = cvss3BaseScore({ vector: score });
    if (base !== undefined)
      return { severity: ratingOf(base), source: 'cvss', score: base };
  }
  return { severity: 'medium', source: 'unknown' };
}
