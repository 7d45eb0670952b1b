import { note } from '../benchUtils';
import { authHeader, BackendChild } from './backendChild';
import { PhaseResult, runPhase } from './loadPhase';

/**
 * The filters the list phase rotates through: each alone and some combined, so the catalog
 * answers from different sets (Discover apps, seen only by their owners, included).
 */
export const LIST_FILTERS = [
  'tier=vetted',
  'tier=enterprise',
  'tier=discover',
  'gateStatus=fail',
  'gateStatus=warn',
  'owner=finance-apps',
  `owner=${encodeURIComponent('group:default/platform-team')}`,
  'costCenter=CC-4711',
  'classification=confidential',
  'q=ledger',
  'tier=vetted&costCenter=CC-2200',
  'owner=research-apps&gateStatus=fail',
  'q=planner&classification=restricted',
].map(filter => `/api/marketplace/apps?${filter}&limit=50`);

/** Who lists: the main figure is a non-admin's, whose catalog reads are conditional. */
export const LIST_USERS = [
  { user: 'casey', kind: 'non-admin app owner (finance-apps)' },
  { user: 'cora', kind: 'reviewer (compliance), reads everything' },
  { user: 'ada', kind: 'admin, reads everything' },
];

/** Timed requests per filter in `checkFilters`, after one that warms the caches. */
const TIMED_PER_FILTER = 5;

/**
 * Each filter alone, one client: every filter answers 200, what it selects, and its median
 * and slowest time, so the load figures can be traced to the filters that cost most.
 */
export async function checkFilters(backend: BackendChild, user: string) {
  for (const url of LIST_FILTERS) {
    const times: number[] = [];
    let res: Awaited<ReturnType<BackendChild['request']>> | undefined;
    for (let k = 0; k <= TIMED_PER_FILTER; k++) {
      res = await backend.request(user, url);
      if (k > 0) times.push(res.ms);
      if (res.status !== 200) {
        throw new Error(
          `GET ${url} as ${user}: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
    }
    times.sort((a, b) => a - b);
    const { items, nextCursor } = res!.body;
    note(
      `${url.slice('/api/marketplace/apps?'.length)}: ${
        items.length
      } items on page 1${nextCursor ? ', more pages' : ''}${
        items[0] ? `, first ${items[0].name}` : ''
      }; alone: median ${times[Math.floor(times.length / 2)].toFixed(
        1,
      )} ms, slowest ${times[times.length - 1].toFixed(1)} ms`,
    );
  }
}

export function runListPhase(options: {
  backend: BackendChild;
  user: string;
  kind: string;
  connections: number;
  seconds: number;
}): Promise<PhaseResult> {
  const headers = { authorization: authHeader(options.user) };
  let next = 0;
  return runPhase({
    name: `GET /apps, rotating ${LIST_FILTERS.length} filters, as ${options.user} (${options.kind}), ${options.connections} connections, ${options.seconds} s`,
    baseUrl: options.backend.baseUrl,
    connections: options.connections,
    duration: options.seconds,
    next: () => ({
      method: 'GET',
      path: LIST_FILTERS[next++ % LIST_FILTERS.length],
      headers,
    }),
  });
}
