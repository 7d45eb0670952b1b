export { createSecretsGate } from './createSecretsGate';
export { scanTextFiles } from './scanTextFiles';
export type { SecretScanFile, SecretScanResult } from './scanTextFiles';
export { DEFAULT_SECRET_SCAN_LIMITS } from './secretScanOptions';
export type {
  SecretScanLimits,
  SecretScanRuleSetting,
} from './secretScanOptions';
