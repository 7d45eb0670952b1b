import type { TierId } from '@microapps/plugin-marketplace-common';
import { appName, appRef } from '../seedHistory';

// The apps of the load bench, decided by their index alone, so the YAML the catalog reads,
// the rows seeded into the marketplace and the requests of the driver agree without sharing
// state (and a kept catalog matches a later run's seeding).

/** Teams of examples/org.yaml that own apps; hr-apps includes sam, the security reviewer. */
export const OWNER_GROUPS = [
  'finance-apps',
  'research-apps',
  'platform-team',
  'procurement-apps',
  'hr-apps',
  'sales-ops',
];
/** The demo's cost centers (app-config.yaml), which the cost gate accepts. */
export const COST_CENTERS = [
  'CC-1000',
  'CC-2200',
  'CC-3100',
  'CC-4711',
  'CC-5100',
  'CC-6000',
];
export const CLASSIFICATIONS = [
  'public',
  'internal',
  'confidential',
  'restricted',
];
/** Words in the titles, for the full-text filter `q`. */
export const TITLE_WORDS = [
  'Ledger',
  'Roster',
  'Invoice',
  'Planner',
  'Tracker',
  'Portal',
  'Digest',
  'Monitor',
];

/** MurmurHash3's finaliser: attributes independent of each other and of the index's digits. */
function mix(i: number, salt: number): number {
  let h = Math.imul(i, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const pick = <T>(list: readonly T[], i: number, salt: number): T =>
  list[mix(i, salt) % list.length];

export interface FleetApp {
  index: number;
  name: string;
  ref: string;
  owner: string;
  /** Effective tier, also `spec.tier`: half Discover, 40 % Vetted, 10 % Enterprise. */
  tier: TierId;
  costCenter: string;
  classification: string;
  word: string;
}

/** Tier by the last digit of the index: 0-4 Discover, 5-8 Vetted, 9 Enterprise. */
const TIER_BY_DIGIT: TierId[] = [
  ...Array<TierId>(5).fill('discover'),
  ...Array<TierId>(4).fill('vetted'),
  'enterprise',
];

export function fleetApp(index: number): FleetApp {
  return {
    index,
    name: appName(index),
    ref: appRef(index),
    owner: `group:default/${pick(OWNER_GROUPS, index, 1)}`,
    tier: TIER_BY_DIGIT[index % 10],
    costCenter: pick(COST_CENTERS, index, 2),
    classification: pick(CLASSIFICATIONS, index, 3),
    word: pick(TITLE_WORDS, index, 4),
  };
}

/**
 * The apps with an open request to Enterprise, for the sign-off phase: Vetted apps, spread
 * over the fleet, not owned by hr-apps (whose member sam reviews security). Their YAML has
 * an SBOM and a runbook, so the gates pass at Enterprise and approvals are not refused.
 */
export function signoffPool(apps: number, promotions: number): number[] {
  const eligible: number[] = [];
  for (let i = 0; i < apps; i++) {
    const app = fleetApp(i);
    if (app.tier === 'vetted' && app.owner !== 'group:default/hr-apps') {
      eligible.push(i);
    }
  }
  if (promotions > eligible.length) {
    throw new Error(
      `${promotions} open requests need ${promotions} Vetted apps outside hr-apps; ${apps} apps have ${eligible.length}`,
    );
  }
  const step = eligible.length / Math.max(1, promotions);
  return Array.from(
    { length: promotions },
    (_, k) => eligible[Math.floor(k * step)],
  );
}

/** The expected number of apps labelled with each tier once the catalog processed them. */
export function tierCounts(apps: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < apps; i++) {
    const { tier } = fleetApp(i);
    counts[tier] = (counts[tier] ?? 0) + 1;
  }
  return counts;
}
