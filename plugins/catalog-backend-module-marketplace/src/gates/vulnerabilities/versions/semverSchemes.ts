import { SemVer } from 'semver';
import { order } from './order';
import type { VersionScheme } from './VersionScheme';

/** One- and two-part versions such as `0` or `2.4`, which OSV uses as range bounds. */
const SHORT_VERSION = /^v?(\d+)(?:\.(\d+))?$/;

function parseSemver(version: string): SemVer | undefined {
  const trimmed = version.trim();
  try {
    // Loose parsing accepts `v1.2.3` and `=1.2.3` but, unlike `semver.coerce`, keeps the
    // prerelease: coercing `1.0.0-beta.1` to `1.0.0` would call a prerelease of a fix fixed.
    return new SemVer(trimmed, { loose: true });
  } catch {
    const short = SHORT_VERSION.exec(trimmed);
    return short ? new SemVer(`${short[1]}.${short[2] ?? '0'}.0`) : undefined;
  }
}

/**
 * Precedence per SemVer 2.0: build metadata is ignored and a prerelease sorts before its
 * release, so `4.17.12-beta` counts as below a fix in `4.17.12`. Same result as
 * `SemVer#compare`, without its per-call regular expressions: matching compares a lot.
 */
function compareSemver(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return order(a.major, b.major);
  if (a.minor !== b.minor) return order(a.minor, b.minor);
  if (a.patch !== b.patch) return order(a.patch, b.patch);
  const ap = a.prerelease;
  const bp = b.prerelease;
  if (!ap.length || !bp.length) return Math.sign(bp.length - ap.length);
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const x = ap[i];
    const y = bp[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    // Numeric identifiers (stored as numbers) sort before alphanumeric ones.
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    return order(x, y);
  }
  return 0;
}

const RANK_BASE = 2 ** 17;

/** major.minor.patch as one number (prereleases tie with their release), NaN if too large. */
function rankSemver(v: SemVer): number {
  if (v.major >= RANK_BASE || v.minor >= RANK_BASE || v.patch >= RANK_BASE)
    return NaN;
  return (v.major * RANK_BASE + v.minor) * RANK_BASE + v.patch;
}

/**
 * SemVer 2.0 for `SEMVER` ranges and the npm, crates.io, Hex and Pub ecosystems.
 *
 * @internal
 */
export const semverScheme: VersionScheme<SemVer> = {
  name: 'SemVer',
  parse: parseSemver,
  compare: compareSemver,
  rank: rankSemver,
};

/**
 * npm versions: SemVer, read loosely.
 *
 * @internal
 */
export const npmScheme: VersionScheme<SemVer> = {
  ...semverScheme,
  name: 'npm',
};

/**
 * Go module versions: SemVer with a `v` prefix in go.mod and purls, none in OSV.
 *
 * @internal
 */
export const goScheme: VersionScheme<SemVer> = {
  name: 'Go',
  parse: version => parseSemver(version.trim().replace(/^v/, '')),
  compare: compareSemver,
  rank: rankSemver,
};
