export { evidenceDigest, verifyEvidence } from './verifyEvidence';
export type { EvidenceVerdict } from './verifyEvidence';
export { EVIDENCE_FORMAT } from './types';
export type { EvidencePackage } from './types';
export { main as verifyEvidenceCli } from './cli';
export type { VerifyEvidenceCliIo } from './cli';
