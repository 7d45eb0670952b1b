export { TierChip } from './TierChip';
