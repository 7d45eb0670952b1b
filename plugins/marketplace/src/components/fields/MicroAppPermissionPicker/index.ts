export { MicroAppPermissionPicker } from './MicroAppPermissionPicker';
export { MicroAppPermissionPickerSchema } from './schema';
export { validatePermissions } from './validation';
export type { MicroAppPermissionPickerUiOptions } from './validation';
export type { PermissionRequest } from './templateScopes';
