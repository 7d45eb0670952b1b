export { MicroAppCostCenterPicker } from './MicroAppCostCenterPicker';
export { MicroAppCostCenterPickerSchema } from './schema';
export { validateCostCenter } from './validation';
