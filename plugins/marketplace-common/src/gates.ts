import type { TierId } from './tiers';

/** What one gate concluded. `error` means it could not evaluate; it never passes. @public */
export type GateStatus = 'pass' | 'warn' | 'fail' | 'error' | 'not-applicable';

/** How a gate's failure counts at a tier. @public */
export type GateEnforcement = 'off' | 'warn' | 'block';

/** Severity of a finding, highest first. @public */
export type FindingSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** All severities, highest first. @public */
export const FINDING_SEVERITIES: readonly FindingSeverity[] = Object.freeze([
  'critical',
  'high',
  'medium',
  'low',
  'info',
]);

/** One problem a gate found. @public */
export interface GateFinding {
  /** Stable within the gate, e.g. an advisory id plus package; exceptions refer to it. */
  id: string;
  /** How serious the finding is. */
  severity: FindingSeverity;
  /** What is wrong, in one sentence for people. */
  message: string;
  /** Where: a field path, a file and line, a package purl. */
  location?: string;
  /** A link with more detail, e.g. the advisory. */
  url?: string;
  /**
   * Whether this finding alone makes its gate fail. Gates that also report findings below
   * their threshold set it; when absent, every finding of a failing gate counts.
   */
  blocking?: boolean;
  /** Set when a valid exception covers the finding: the exception's expiry. */
  exceptedUntil?: string;
}

/** The result of one gate for one app. @public */
export interface GateResult {
  /** The id of the gate that produced the result. */
  gateId: string;
  /** What the gate concluded. */
  status: GateStatus;
  /** How the gate counts at the tier the app was evaluated against. */
  enforcement: GateEnforcement;
  /** The problems the gate found; empty when it found none. */
  findings: GateFinding[];
  /** One line for lists, e.g. "2 critical, 5 high". */
  summary?: string;
  /** Why the gate could not evaluate (status `error`). */
  error?: string;
  /** True when valid exceptions cover every blocking finding of a failing gate. */
  excepted?: boolean;
}

/** The worst enforced result of a gate run: the `microapps.dev/gate-status` label. @public */
export type GateRunStatus = 'pass' | 'warn' | 'fail';

/** All gate results of one evaluation of an app. @public */
export interface GateRun {
  /** The evaluated app's entity ref. */
  entityRef: string;
  /** When the gates ran (ISO 8601). */
  evaluatedAt: string;
  /** The tier the app was evaluated against (its requested tier). */
  tier: TierId;
  /** The worst enforced result, see {@link summarizeGateRun}. */
  status: GateRunStatus;
  /** SHA-256 over everything the gates read; equal hashes give equal results. */
  inputHash: string;
  /** SHA-256 (hex) of the SBOM the gates read, when there was one. */
  sbomSha256?: string;
  /** One result per gate. */
  results: GateResult[];
}

/** Numeric rank of a severity: critical 4 ... info 0. @public */
export function severityRank(severity: FindingSeverity): number {
  return FINDING_SEVERITIES.length - 1 - FINDING_SEVERITIES.indexOf(severity);
}

/**
 * The status a result contributes to its run: a failing or erroring gate counts as `fail`
 * when enforced as `block`, as `warn` when enforced as `warn`, and not at all when `off`.
 *
 * @public
 */
export function enforcedStatus(
  result: Pick<GateResult, 'status' | 'enforcement' | 'excepted'>,
): GateRunStatus {
  if (result.enforcement === 'off') return 'pass';
  // an excepted failure stays visible, but no longer blocks
  if (result.excepted) return 'warn';
  if (result.status === 'fail' || result.status === 'error') {
    return result.enforcement === 'block' ? 'fail' : 'warn';
  }
  return result.status === 'warn' ? 'warn' : 'pass';
}

/** The worst enforced status over all results. @public */
export function summarizeGateRun(
  results: Pick<GateResult, 'status' | 'enforcement' | 'excepted'>[],
): GateRunStatus {
  const statuses = results.map(enforcedStatus);
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warn')) return 'warn';
  return 'pass';
}
