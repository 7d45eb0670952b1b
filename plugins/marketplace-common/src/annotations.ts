/** Where the app's SBOM lives: relative to the entity file, or a URL. @public */
export const ANNOTATION_SBOM = 'microapps.dev/sbom';
/** Optional SHA-256 (hex) of the SBOM file. @public */
export const ANNOTATION_SBOM_SHA256 = 'microapps.dev/sbom-sha256';
/** Optional source tree to scan for secrets, as `url:<url>`. @public */
export const ANNOTATION_SOURCE_LOCATION = 'microapps.dev/source-location';

/** Label with the effective tier, or `expired`. @public */
export const LABEL_TIER = 'microapps.dev/tier';
/** Label with the worst enforced gate result: pass, warn, fail or pending. @public */
export const LABEL_GATE_STATUS = 'microapps.dev/gate-status';

/** Values of {@link LABEL_GATE_STATUS}. @public */
export type GateStatusLabel = 'pass' | 'warn' | 'fail' | 'pending';

/** Relation from a MicroApp to the template it was created from. @public */
export const RELATION_SCAFFOLDED_FROM = 'scaffoldedFrom';
/** Reverse of {@link RELATION_SCAFFOLDED_FROM}. @public */
export const RELATION_SCAFFOLDER_OF = 'scaffolderOf';

/**
 * On a Template entity: the permission scopes apps made from it may request, separated by
 * commas or white space. A trailing `*` allows a prefix, e.g. `expenses.*`.
 *
 * @public
 */
export const ANNOTATION_ALLOWED_SCOPES = 'microapps.dev/allowed-scopes';

/**
 * On a Template entity: scopes that reach personal data, whether or not the app marks them
 * `pii: true`; they need a justification. Same syntax as {@link ANNOTATION_ALLOWED_SCOPES}.
 *
 * @public
 */
export const ANNOTATION_PII_SCOPES = 'microapps.dev/pii-scopes';
