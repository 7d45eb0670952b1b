import { normalizePackageName } from '../osv/normalizePackageName';
import { parsePurl, type PackageUrl } from './parsePurl';

/**
 * An SBOM component as OSV names it.
 *
 * @public
 */
export interface OsvPackageRef {
  /** OSV ecosystem, e.g. `npm`, `Maven`, `PyPI`, `Go`. */
  ecosystem: string;
  /** The package name as OSV spells it, normalised like the index (see PEP 503 for PyPI). */
  name: string;
  version: string;
  purl: string;
}

interface PurlMapping {
  ecosystem: string;
  name(purl: PackageUrl): string | undefined;
}

const plain = (p: PackageUrl) => p.name;
const slashed = (p: PackageUrl) =>
  p.namespace ? `${p.namespace}/${p.name}` : p.name;

/** purl types and how their names read in OSV. */
const MAPPINGS: Record<string, PurlMapping> = {
  npm: { ecosystem: 'npm', name: slashed },
  maven: {
    ecosystem: 'Maven',
    name: p => (p.namespace ? `${p.namespace}:${p.name}` : undefined),
  },
  pypi: { ecosystem: 'PyPI', name: plain },
  golang: { ecosystem: 'Go', name: slashed },
  nuget: { ecosystem: 'NuGet', name: plain },
  gem: { ecosystem: 'RubyGems', name: plain },
  cargo: { ecosystem: 'crates.io', name: plain },
  composer: {
    ecosystem: 'Packagist',
    name: p => (p.namespace ? slashed(p) : undefined),
  },
  hex: { ecosystem: 'Hex', name: plain },
  pub: { ecosystem: 'Pub', name: plain },
  hackage: { ecosystem: 'Hackage', name: plain },
  cran: { ecosystem: 'CRAN', name: plain },
};

/**
 * Maps a component's purl to the OSV ecosystem and package name, or says why it cannot:
 * an unparseable purl, an unsupported type or a missing version is a reason, not an error.
 *
 * @public
 */
export function osvPackageForPurl(options: {
  purl: string;
  /** Used when the purl carries no version, e.g. the SBOM component's own version. */
  version?: string;
}): { package: OsvPackageRef } | { skipped: string } {
  let parsed: PackageUrl;
  try {
    parsed = parsePurl({ purl: options.purl });
  } catch (error) {
    return { skipped: error instanceof Error ? error.message : String(error) };
  }
  const mapping = MAPPINGS[parsed.type];
  if (!mapping) {
    return {
      skipped: `package URL type '${parsed.type}' has no OSV ecosystem here`,
    };
  }
  const name = mapping.name(parsed);
  if (!name) {
    return { skipped: `a '${parsed.type}' package URL needs a namespace` };
  }
  const version = (parsed.version ?? options.version)?.trim();
  if (!version) {
    return { skipped: 'no version' };
  }
  const { ecosystem } = mapping;
  return {
    package: {
      ecosystem,
      name: normalizePackageName({ ecosystem, name }),
      version,
      purl: options.purl,
    },
  };
}
