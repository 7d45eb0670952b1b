export { createLicensesGate } from './createLicensesGate';
export { createLicenseEvaluator } from './createLicenseEvaluator';
export type {
  LicenseVerdict,
  LicenseVerdictKind,
} from './createLicenseEvaluator';
export {
  DEFAULT_ALLOWED_LICENSES,
  DEFAULT_DENIED_LICENSES,
  readLicensePolicy,
} from './licensePolicy';
export type { LicensePolicy } from './licensePolicy';
