export { loadPolicyPacks } from './loadPolicyPacks';
export { createPolicyGates, DEFAULT_MAX_LIST_READS } from './createPolicyGates';
export { createOpaGate, DEFAULT_OPA_TIMEOUT_MS } from './createOpaGate';
export { buildPolicyInput } from './buildPolicyInput';
export {
  DEFAULT_POLICY_PACK_LIMITS,
  packTooLargeMessage,
  readPolicyLimits,
  type PolicyPackLimits,
} from './policyPackLimits';
export { formatPolicyProblem } from './policyProblem';
export { POLICY_INPUT_GATE_IDS } from './inputGateIds';
export type { PolicyProgram } from './celProgram';
export type {
  LoadedPolicyPacks,
  PolicyInput,
  PolicyPack,
  PolicyProblem,
  PolicyRule,
} from './types';
