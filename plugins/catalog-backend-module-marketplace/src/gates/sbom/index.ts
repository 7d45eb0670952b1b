export { createSbomGate, DEFAULT_SBOM_MAX_BYTES } from './createSbomGate';
export { parseSbom, DEFAULT_MAX_COMPONENTS } from './parseSbom';
