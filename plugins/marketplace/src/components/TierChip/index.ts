export { TierChip } from './TierChip';
export { requestedAbove } from './requestedAbove';
