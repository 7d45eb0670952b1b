import type { VersionScheme } from './VersionScheme';

/** Sorts before every version: `introduced: "0"`. */
const ZERO = Symbol('zero');

type EventKind = 'introduced' | 'last_affected' | 'fixed';

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/** At equal versions an interval opens before it closes. */
const KIND_ORDER: Record<EventKind, number> = {
  introduced: 0,
  last_affected: 1,
  fixed: 2,
};

interface Bound {
  version: unknown;
  /** The scheme's rank of the version, NaN when it has none. */
  rank: number;
}

interface CompiledEvent extends Bound {
  kind: EventKind;
  raw: string;
}

/**
 * An OSV `SEMVER` or `ECOSYSTEM` range with its versions parsed and its events sorted.
 *
 * @internal
 */
export interface CompiledRange {
  scheme: VersionScheme<any>;
  events: CompiledEvent[];
  limits: Bound[];
}

/**
 * One OSV range event: exactly one of the keys is set.
 *
 * @internal
 */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/**
 * Parses and sorts a range's events once, so that matching only compares. Returns an
 * error text when a bound cannot be read, since guessing would hide or invent findings.
 *
 * @internal
 */
export function compileRange(options: {
  events: OsvEvent[];
  scheme: VersionScheme<any>;
}): CompiledRange | { error: string } {
  const { events, scheme } = options;
  const compiled: CompiledEvent[] = [];
  const limits: Bound[] = [];
  const rankOf = (version: unknown) => scheme.rank?.(version) ?? NaN;
  for (const event of events) {
    const kind = EVENT_KEYS.find(key => typeof event[key] === 'string');
    if (!kind) continue;
    const raw = event[kind]!;
    const value = raw.trim();
    if (kind === 'introduced' && (value === '0' || value === '')) {
      compiled.push({ kind, raw: '0', version: ZERO, rank: -Infinity });
      continue;
    }
    // An empty `fixed` (seen in real GHSA data) means there is no fix yet: no upper bound.
    if (value === '') continue;
    const version = scheme.parse(value);
    if (version === undefined) {
      return {
        error: `${kind} "${raw}" is not a valid ${scheme.name} version`,
      };
    }
    if (kind === 'limit') {
      limits.push({ version, rank: rankOf(version) });
    } else {
      compiled.push({ kind, raw: value, version, rank: rankOf(version) });
    }
  }
  compiled.sort((a, b) => {
    if (a.version === ZERO || b.version === ZERO) {
      if (a.version === b.version)
        return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
      return a.version === ZERO ? -1 : 1;
    }
    return (
      scheme.compare(a.version, b.version) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind]
    );
  });
  return { scheme, events: compiled, limits };
}

/** Orders a version against a bound, by rank when the ranks decide. */
function order(
  scheme: VersionScheme<any>,
  version: unknown,
  rank: number,
  bound: Bound,
): number {
  if (bound.version === ZERO) return 1;
  // Only two real, different ranks decide on their own.
  if (rank !== bound.rank && !Number.isNaN(rank) && !Number.isNaN(bound.rank)) {
    return rank < bound.rank ? -1 : 1;
  }
  return scheme.compare(version, bound.version);
}

/**
 * A copy of a range in freshly allocated objects (see OsvIndex on why).
 *
 * @internal
 */
export function copyRange(range: CompiledRange): CompiledRange {
  return {
    scheme: range.scheme,
    events: range.events.map(({ kind, raw, version, rank }) => ({
      kind,
      raw,
      version,
      rank,
    })),
    limits: range.limits.map(({ version, rank }) => ({ version, rank })),
  };
}

/**
 * Whether a version (parsed with the range's scheme) lies in the range, per the OSV
 * schema's evaluation: `introduced` and `last_affected` are inclusive, `fixed` and `limit`
 * exclusive. Returns undefined when it does not, else the fix of the interval the version
 * falls in, if there is one (no object for the common miss: matching runs this a lot).
 *
 * @internal
 */
export function evaluateRange(options: {
  range: CompiledRange;
  version: unknown;
  /** The scheme's rank of the version, if the caller has it already. */
  rank?: number;
}): { fixed?: string } | undefined {
  const { range, version } = options;
  const { scheme, events, limits } = range;
  const rank = options.rank ?? scheme.rank?.(version) ?? NaN;
  for (const limit of limits) {
    if (order(scheme, version, rank, limit) >= 0) return undefined;
  }
  let affected = false;
  let i = 0;
  // Events are sorted, so only those at or below the version can change its state.
  for (; i < events.length; i++) {
    const event = events[i];
    const o = order(scheme, version, rank, event);
    if (o < 0) break;
    if (event.kind === 'introduced') affected = true;
    else if (event.kind === 'fixed') affected = false;
    else if (o > 0) affected = false; // last_affected is inclusive
  }
  if (!affected) return undefined;
  for (; i < events.length; i++) {
    if (events[i].kind === 'fixed') return { fixed: events[i].raw };
    if (events[i].kind === 'last_affected') break;
  }
  return {};
}
