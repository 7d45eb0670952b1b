export {
  createSbomGate,
  DEFAULT_SBOM_MAX_BYTES,
  readSbomLimits,
  type SbomLimits,
} from './createSbomGate';
export {
  parseSbom,
  DEFAULT_MAX_COMPONENTS,
  DEFAULT_SBOM_MAX_DEPTH,
} from './parseSbom';
