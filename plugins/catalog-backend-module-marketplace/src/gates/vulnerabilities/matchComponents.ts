import type { OsvAdvisoryInfo, OsvIndex, OsvIndexEntry } from './osv/OsvIndex';
import type { OsvPackageRef } from './purl/osvPackageForPurl';
import { evaluateRange } from './versions/versionRanges';
import type { VersionScheme } from './versions/VersionScheme';

/**
 * One component affected by one advisory.
 *
 * @public
 */
export interface OsvMatch {
  component: OsvPackageRef;
  advisory: OsvAdvisoryInfo;
  /** The package the advisory names; differs from the component for a Go package inside a module. */
  affectedPackage: string;
  /** The first fixed version above the component's, when the advisory names one. */
  fixed?: string;
}

/**
 * A component whose version the ecosystem's scheme cannot read, so ranges could not be
 * checked; explicit version lists still were.
 *
 * @public
 */
export interface UnreadableVersion {
  component: OsvPackageRef;
  scheme: string;
  /** Advisories whose ranges could not be checked. */
  advisoryIds: string[];
}

interface Parsed {
  value: unknown;
  rank: number;
}

/** A component's version parsed once per scheme; almost always there is just one. */
class ParsedVersion {
  private readonly byScheme = new Map<VersionScheme<any>, Parsed>();
  private lastScheme?: VersionScheme<any>;
  private last?: Parsed;

  constructor(readonly raw: string) {}

  in(scheme: VersionScheme<any>): Parsed {
    if (scheme === this.lastScheme) return this.last!;
    let parsed = this.byScheme.get(scheme);
    if (!parsed) {
      const value = scheme.parse(this.raw);
      const rank = value === undefined ? NaN : scheme.rank?.(value);
      parsed = { value, rank: rank ?? NaN };
      this.byScheme.set(scheme, parsed);
    }
    this.lastScheme = scheme;
    this.last = parsed;
    return parsed;
  }
}

/** Whether an entry affects the version: undefined when not, else the fix if known. */
function matchEntry(
  entry: OsvIndexEntry,
  version: ParsedVersion,
): { fixed?: string; unreadable?: string } | undefined {
  let found: { fixed?: string } | undefined;
  let unreadable: string | undefined;
  for (const range of entry.ranges) {
    const parsed = version.in(range.scheme);
    if (parsed.value === undefined) {
      unreadable = range.scheme.name;
      continue;
    }
    const result = evaluateRange({
      range,
      version: parsed.value,
      rank: parsed.rank,
    });
    if (result && (!found || (!found.fixed && result.fixed))) found = result;
    if (found?.fixed) return found;
  }
  if (found) return found;
  if (entry.versions.length) {
    const parsed = version.in(entry.versionScheme).value;
    const listed = entry.versions.some(
      v =>
        v.raw === version.raw ||
        (parsed !== undefined &&
          v.parsed !== undefined &&
          entry.versionScheme.compare(parsed, v.parsed) === 0),
    );
    if (listed) return {};
  }
  return unreadable ? { unreadable } : undefined;
}

/**
 * Matches components against an OSV index: one match per (component, advisory), in the
 * order of the components. Components whose version cannot be read are listed apart.
 *
 * @public
 */
export function matchComponents(options: {
  index: OsvIndex;
  components: OsvPackageRef[];
}): { matches: OsvMatch[]; unreadable: UnreadableVersion[] } {
  const matches: OsvMatch[] = [];
  const unreadable: UnreadableVersion[] = [];
  for (const component of options.components) {
    const entries = options.index.lookup(component);
    if (!entries.length) continue;
    const version = new ParsedVersion(component.version);
    const matched = new Set<string>();
    let problem: UnreadableVersion | undefined;
    for (const entry of entries) {
      const result = matchEntry(entry, version);
      if (result && !result.unreadable) {
        // A Go module may reach one advisory both directly and through a package.
        if (matched.has(entry.advisory.id)) continue;
        matched.add(entry.advisory.id);
        matches.push({
          component,
          advisory: entry.advisory,
          affectedPackage: entry.packageName,
          ...(result.fixed ? { fixed: result.fixed } : {}),
        });
      } else if (result?.unreadable) {
        problem ??= { component, scheme: result.unreadable, advisoryIds: [] };
        problem.advisoryIds.push(entry.advisory.id);
      }
    }
    if (problem) {
      problem.advisoryIds = problem.advisoryIds.filter(id => !matched.has(id));
      if (problem.advisoryIds.length) unreadable.push(problem);
    }
  }
  return { matches, unreadable };
}
