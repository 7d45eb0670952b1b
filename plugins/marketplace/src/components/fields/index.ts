export * from './MicroAppAudiencePicker';
export * from './MicroAppClassificationPicker';
export * from './MicroAppCostCenterPicker';
export * from './MicroAppPermissionPicker';
