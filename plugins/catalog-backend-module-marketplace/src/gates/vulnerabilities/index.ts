export { createVulnerabilitiesGate } from './createVulnerabilitiesGate';
export {
  matchComponents,
  type OsvMatch,
  type UnreadableVersion,
} from './matchComponents';
export type {
  OsvAdvisory,
  OsvAffected,
  OsvRange,
  OsvSeverity,
} from './osv/OsvAdvisory';
export type { OsvEvent } from './versions/versionRanges';
export {
  OsvIndex,
  type OsvAdvisoryInfo,
  type OsvIndexCounts,
  type OsvIndexEntry,
} from './osv/OsvIndex';
export { parseOsvAdvisory } from './osv/parseOsvAdvisory';
export { loadOsvFolder } from './osv/loadOsvFolder';
export { parseOsvZip } from './osv/parseOsvZip';
export { loadOsvTree } from './osv/loadOsvTree';
export {
  DEFAULT_OSV_FEED_TIMEOUT_MS,
  DEFAULT_OSV_LOAD_LIMITS,
  readOsvFeedLimits,
  type OsvLoadError,
  type OsvLoadLimits,
  type OsvLoadResult,
} from './osv/osvLoadLimits';
export {
  advisorySeverity,
  type AdvisorySeverity,
} from './osv/advisorySeverity';
export { cvss3BaseScore } from './osv/cvss3BaseScore';
export { generateSyntheticAdvisories } from './osv/generateSyntheticAdvisories';
export { parsePurl, type PackageUrl } from './purl/parsePurl';
export {
  osvPackageForPurl,
  type OsvPackageRef,
} from './purl/osvPackageForPurl';
export type { VersionScheme } from './versions/VersionScheme';
