export { GateStatusLabel } from './GateStatusLabel';
