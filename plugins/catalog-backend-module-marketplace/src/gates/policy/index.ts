export { loadPolicyPacks } from './loadPolicyPacks';
export { createPolicyGates, DEFAULT_MAX_LIST_READS } from './createPolicyGates';
export { createOpaGate } from './createOpaGate';
export { buildPolicyInput } from './buildPolicyInput';
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
