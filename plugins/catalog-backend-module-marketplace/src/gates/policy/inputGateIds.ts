/**
 * The gates whose facts a policy may read, which policy gates therefore run after.
 *
 * @public
 */
export const POLICY_INPUT_GATE_IDS: readonly string[] = Object.freeze([
  'sbom',
  'vulnerabilities',
  'licenses',
  'secrets',
  'privileges',
  'metadata',
  'cost',
]);
