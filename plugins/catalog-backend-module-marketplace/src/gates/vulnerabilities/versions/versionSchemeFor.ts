import { genericScheme } from './genericScheme';
import { mavenScheme } from './mavenVersion';
import { pep440Scheme } from './pep440Scheme';
import { goScheme, npmScheme, semverScheme } from './semverSchemes';
import type { VersionScheme } from './VersionScheme';

const BY_ECOSYSTEM: Record<string, VersionScheme<any>> = {
  npm: npmScheme,
  Go: goScheme,
  PyPI: pep440Scheme,
  Maven: mavenScheme,
  // These ecosystems use SemVer 2.0 for their package versions.
  'crates.io': semverScheme,
  Hex: semverScheme,
  Pub: semverScheme,
};

/**
 * The version scheme for an OSV range: `SEMVER` ranges are SemVer whatever the ecosystem,
 * `ECOSYSTEM` ranges use the ecosystem's own ordering, falling back to the generic one.
 *
 * @internal
 */
export function versionSchemeFor(options: {
  ecosystem: string;
  rangeType?: string;
}): VersionScheme<any> {
  if (options.rangeType === 'SEMVER') return semverScheme;
  // Ecosystems may carry a release suffix, e.g. `Debian:12`.
  return BY_ECOSYSTEM[options.ecosystem.split(':')[0]] ?? genericScheme;
}
