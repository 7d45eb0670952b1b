export { GateStatusLabel, GateResultStatus } from './GateStatusLabel';
