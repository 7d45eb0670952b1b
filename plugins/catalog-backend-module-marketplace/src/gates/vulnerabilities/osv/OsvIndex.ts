import { createHash } from 'node:crypto';
import {
  compileRange,
  copyRange,
  type CompiledRange,
} from '../versions/versionRanges';
import { versionSchemeFor } from '../versions/versionSchemeFor';
import type { VersionScheme } from '../versions/VersionScheme';
import { advisorySeverity, type AdvisorySeverity } from './advisorySeverity';
import { normalizePackageName } from './normalizePackageName';
import type { OsvAdvisory, OsvAffected } from './OsvAdvisory';

/** Problems kept for diagnostics; a broken feed could otherwise hold one per advisory. */
const MAX_PROBLEMS = 100;
const MAX_SUMMARY = 200;

/**
 * What a finding needs to know about an advisory.
 *
 * @public
 */
export interface OsvAdvisoryInfo {
  id: string;
  modified: string;
  /** The advisory's summary, or the first line of its details. */
  summary: string;
  aliases: string[];
  severity: AdvisorySeverity;
}

/**
 * The versions of one package one advisory affects, ready to match.
 *
 * @public
 */
export interface OsvIndexEntry {
  advisory: OsvAdvisoryInfo;
  ecosystem: string;
  /** The package as the advisory names it (for Go possibly a package inside a module). */
  packageName: string;
  /** @internal */
  ranges: CompiledRange[];
  /** Explicitly listed versions (`affected[].versions`), parsed with `versionScheme`. */
  versions: Array<{ raw: string; parsed: unknown }>;
  /** @internal */
  versionScheme: VersionScheme<any>;
}

/**
 * Size and health of an index.
 *
 * @public
 */
export interface OsvIndexCounts {
  /** Distinct advisories, withdrawn ones included. */
  advisories: number;
  withdrawn: number;
  /** Advisories given more than once; the most recently modified copy is kept. */
  duplicates: number;
  /** Distinct (ecosystem, package) keys. */
  packages: number;
  /** Advisories per ecosystem. */
  ecosystems: Record<string, number>;
  /** Ranges that were skipped because a bound is not a valid version of the ecosystem. */
  unusableRanges: number;
}

function summaryOf(advisory: OsvAdvisory): string {
  const text =
    advisory.summary?.trim() || advisory.details?.trim().split('\n')[0] || '';
  return text.length > MAX_SUMMARY
    ? `${text.slice(0, MAX_SUMMARY - 1)}…`
    : text;
}

function newer(a: OsvAdvisory, b: OsvAdvisory): boolean {
  const ta = Date.parse(a.modified);
  const tb = Date.parse(b.modified);
  return Number.isNaN(ta) || Number.isNaN(tb)
    ? a.modified > b.modified
    : ta > tb;
}

/** One index entry from the affected[] entries an advisory has for one package. */
function compileEntry(options: {
  info: OsvAdvisoryInfo;
  affected: OsvAffected[];
}): {
  entry: OsvIndexEntry;
  problems: string[];
} {
  const { info, affected } = options;
  const { ecosystem, name } = affected[0].package!;
  const versionScheme = versionSchemeFor({ ecosystem });
  const entry: OsvIndexEntry = {
    advisory: info,
    ecosystem,
    packageName: name,
    ranges: [],
    versions: [],
    versionScheme,
  };
  const problems: string[] = [];
  for (const { ranges, versions } of affected) {
    for (const range of ranges ?? []) {
      if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
      const scheme = versionSchemeFor({ ecosystem, rangeType: range.type });
      const compiled = compileRange({ events: range.events, scheme });
      if ('error' in compiled) {
        problems.push(`${info.id} ${ecosystem}/${name}: ${compiled.error}`);
      } else {
        entry.ranges.push(compiled);
      }
    }
    for (const raw of versions ?? []) {
      entry.versions.push({ raw, parsed: versionScheme.parse(raw) });
    }
  }
  return { entry, problems };
}

/**
 * OSV advisories indexed by (ecosystem, package name) for matching SBOM components. Ranges
 * are parsed and sorted once here, so that matching only compares versions.
 *
 * @public
 */
export class OsvIndex {
  /** SHA-256 over the advisory ids and `modified` times: equal for equal feeds, whatever the file order. */
  readonly version: string;
  readonly counts: OsvIndexCounts;
  /** Why ranges were skipped, e.g. `GHSA-x npm/foo: fixed "abc" is not a valid npm version` (at most 100). */
  readonly problems: string[];
  private readonly packages: Map<string, OsvIndexEntry[]>;
  /** Go advisories under every path prefix of their package, e.g. `golang.org/x/text`. */
  private readonly goSubpackages: Map<string, OsvIndexEntry[]>;

  /**
   * Indexes advisories; withdrawn ones are counted but never matched.
   */
  static build(options: { advisories: Iterable<OsvAdvisory> }): OsvIndex {
    const byId = new Map<string, OsvAdvisory>();
    let duplicates = 0;
    for (const advisory of options.advisories) {
      const existing = byId.get(advisory.id);
      if (existing) {
        duplicates++;
        if (!newer(advisory, existing)) continue;
      }
      byId.set(advisory.id, advisory);
    }
    return new OsvIndex([...byId.values()], duplicates);
  }

  private constructor(advisories: OsvAdvisory[], duplicates: number) {
    this.packages = new Map();
    this.goSubpackages = new Map();
    this.problems = [];
    const ecosystems: Record<string, number> = {};
    let withdrawn = 0;
    let unusableRanges = 0;
    const hash = createHash('sha256');
    const stamps = advisories.map(a => `${a.id}\t${a.modified}\n`).sort();
    for (const stamp of stamps) hash.update(stamp);
    this.version = hash.digest('hex');

    // First gather each package's advisories, then compile package by package and copy
    // the result: the compiled ranges of one package then sit together in memory instead
    // of between parse results, which makes matching a large feed about five times faster.
    const pending = new Map<
      string,
      Array<{ info: OsvAdvisoryInfo; affected: OsvAffected[] }>
    >();
    for (const advisory of advisories) {
      if (advisory.withdrawn) {
        withdrawn++;
        continue;
      }
      const info: OsvAdvisoryInfo = {
        id: advisory.id,
        modified: advisory.modified,
        summary: summaryOf(advisory),
        aliases: advisory.aliases ?? [],
        severity: advisorySeverity({ advisory }),
      };
      // Several affected[] entries may name the same package (one per release line);
      // they become one entry with all their ranges.
      const merged = new Map<string, OsvAffected[]>();
      for (const affected of advisory.affected ?? []) {
        if (!affected.package) continue;
        const { ecosystem, name } = affected.package;
        const key = `${ecosystem}\u0000${normalizePackageName({
          ecosystem,
          name,
        })}`;
        const list = merged.get(key);
        if (list) list.push(affected);
        else merged.set(key, [affected]);
      }
      const seen = new Set<string>();
      for (const [key, affected] of merged) {
        const list = pending.get(key);
        if (list) list.push({ info, affected });
        else pending.set(key, [{ info, affected }]);
        const { ecosystem } = affected[0].package!;
        if (!seen.has(ecosystem)) {
          seen.add(ecosystem);
          ecosystems[ecosystem] = (ecosystems[ecosystem] ?? 0) + 1;
        }
      }
    }

    for (const [key, list] of pending) {
      const compiled: OsvIndexEntry[] = [];
      for (const { info, affected } of list) {
        const { entry, problems } = compileEntry({ info, affected });
        compiled.push(entry);
        unusableRanges += problems.length;
        this.problems.push(
          ...problems.slice(0, MAX_PROBLEMS - this.problems.length),
        );
      }
      const entries = compiled.map(entry => ({
        ...entry,
        ranges: entry.ranges.map(copyRange),
      }));
      this.packages.set(key, entries);
      for (const entry of entries) {
        if (entry.ecosystem !== 'Go') continue;
        const parts = entry.packageName.split('/');
        for (let i = parts.length - 1; i > 0; i--) {
          this.add(
            this.goSubpackages,
            `Go\u0000${parts.slice(0, i).join('/')}`,
            entry,
          );
        }
      }
    }
    this.counts = {
      advisories: advisories.length,
      withdrawn,
      duplicates,
      packages: this.packages.size,
      ecosystems,
      unusableRanges,
    };
  }

  private add(
    map: Map<string, OsvIndexEntry[]>,
    key: string,
    entry: OsvIndexEntry,
  ) {
    const list = map.get(key);
    if (list) list.push(entry);
    else map.set(key, [entry]);
  }

  /**
   * The entries of a package (name as in OsvPackageRef, i.e. normalised). For a Go module
   * this includes advisories on packages inside it, e.g. `golang.org/x/text/language` for
   * the module `golang.org/x/text`, since SBOMs name modules and some advisories packages.
   */
  lookup(options: {
    ecosystem: string;
    name: string;
  }): readonly OsvIndexEntry[] {
    const key = `${options.ecosystem}\u0000${normalizePackageName(options)}`;
    const exact = this.packages.get(key) ?? [];
    if (options.ecosystem !== 'Go') return exact;
    const inner = this.goSubpackages.get(key);
    return inner ? [...exact, ...inner] : exact;
  }
}
