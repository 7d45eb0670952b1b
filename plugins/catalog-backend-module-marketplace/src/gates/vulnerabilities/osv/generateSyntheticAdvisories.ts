import { InputError } from '@backstage/errors';
import type { OsvAdvisory, OsvRange } from './OsvAdvisory';

const RATINGS = ['CRITICAL', 'HIGH', 'MODERATE', 'LOW'];
const CVSS_VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
  'CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:U/C:L/I:N/A:N',
];
const EPOCH = Date.UTC(2018, 0, 1);
const SIX_YEARS_MS = 6 * 365 * 24 * 60 * 60 * 1000;

/** mulberry32: a small, fast PRNG, so that the same seed gives the same feed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generates `count` valid OSV advisories for npm packages, deterministically from `seed`,
 * for benchmarks and load tests. Packages are drawn from `packageNames` when given (e.g.
 * the components of a real SBOM, so that lookups hit), else from `count / 5` made-up names.
 *
 * @public
 */
export function generateSyntheticAdvisories(options: {
  count: number;
  seed: number;
  packageNames?: string[];
}): OsvAdvisory[] {
  const { count, seed } = options;
  if (!Number.isInteger(count) || count < 0) {
    throw new InputError(`count must be a non-negative integer, not ${count}`);
  }
  const names =
    options.packageNames && options.packageNames.length
      ? options.packageNames
      : Array.from(
          { length: Math.max(1, Math.ceil(count / 5)) },
          (_, i) => `synthetic-package-${i}`,
        );
  const next = random(seed);
  const int = (n: number) => Math.floor(next() * n);
  const version = (major: number, minor: number, patch: number) =>
    `${major}.${minor}.${patch}`;

  const advisories: OsvAdvisory[] = [];
  for (let i = 0; i < count; i++) {
    const name = names[int(names.length)];
    const ranges: OsvRange[] = [];
    let major = int(3);
    for (let r = 1 + int(3); r > 0; r--) {
      const minor = int(20);
      const introduced =
        major === 0 && minor < 5 ? '0' : version(major, minor, int(10));
      const end = version(major, minor + 1 + int(10), int(10));
      // Mostly fixed ranges, some with last_affected, a few without an end.
      const kind = int(10);
      const events: OsvRange['events'] = [{ introduced }];
      if (kind === 1) events.push({ last_affected: end });
      else if (kind > 1) events.push({ fixed: end });
      ranges.push({ type: 'ECOSYSTEM', events });
      major += 1 + int(3);
    }
    const id = `SYN-${seed}-${String(i).padStart(7, '0')}`;
    const useCvss = int(4) === 0;
    advisories.push({
      schema_version: '1.6.0',
      id,
      modified: new Date(EPOCH + int(SIX_YEARS_MS)).toISOString(),
      summary: `Synthetic vulnerability ${i} in ${name}`,
      aliases: [],
      severity: useCvss
        ? [{ type: 'CVSS_V3', score: CVSS_VECTORS[int(CVSS_VECTORS.length)] }]
        : [],
      affected: [{ package: { ecosystem: 'npm', name }, ranges }],
      database_specific: useCvss
        ? {}
        : { severity: RATINGS[int(RATINGS.length)] },
    });
  }
  return advisories;
}
