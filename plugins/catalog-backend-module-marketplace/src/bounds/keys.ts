/**
 * The config keys of the module's bounds, named in the errors of inputs over them.
 *
 * @internal
 */
export const BOUND_KEYS = Object.freeze({
  /** Time of one read of an entity's target. */
  readingTimeoutMs: 'marketplace.reading.timeoutMs',
  /** Section of `maxBytes`, `maxComponents`, `maxDepth`. */
  sbom: 'marketplace.gates.sbom',
  /** Section of `maxFiles`, `maxFileBytes`, `maxTotalBytes`. */
  secrets: 'marketplace.gates.secrets',
  /** Section of `maxEntries`, `maxEntryBytes`, `maxTotalBytes`, `maxDepth`, `timeoutMs`. */
  osv: 'marketplace.gates.vulnerabilities.limits',
  /** Section of `maxPackBytes`, `maxRules`, `maxExpressionLength`. */
  policy: 'marketplace.policy.limits',
  maxListReads: 'marketplace.policy.maxListReads',
});

/**
 * The longest time a timer can wait: Node fires longer ones at once.
 *
 * @internal
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;
