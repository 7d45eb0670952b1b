/*
 * The form fields for the new frontend system's scaffolder, loaded on demand by the
 * FormFieldBlueprint extensions in scaffolderFields.ts.
 */
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  MicroAppAudiencePicker,
  MicroAppAudiencePickerSchema,
  validateAudience,
} from './MicroAppAudiencePicker';
import {
  MicroAppClassificationPicker,
  MicroAppClassificationPickerSchema,
  validateClassification,
} from './MicroAppClassificationPicker';
import {
  MicroAppCostCenterPicker,
  MicroAppCostCenterPickerSchema,
  validateCostCenter,
} from './MicroAppCostCenterPicker';
import {
  MicroAppPermissionPicker,
  MicroAppPermissionPickerSchema,
  validatePermissions,
} from './MicroAppPermissionPicker';

export const costCenterPickerField = createFormField({
  name: 'MicroAppCostCenterPicker',
  component: MicroAppCostCenterPicker,
  validation: validateCostCenter,
  schema: MicroAppCostCenterPickerSchema,
});

export const classificationPickerField = createFormField({
  name: 'MicroAppClassificationPicker',
  component: MicroAppClassificationPicker,
  validation: validateClassification,
  schema: MicroAppClassificationPickerSchema,
});

export const permissionPickerField = createFormField({
  name: 'MicroAppPermissionPicker',
  component: MicroAppPermissionPicker,
  validation: validatePermissions,
  schema: MicroAppPermissionPickerSchema,
});

export const audiencePickerField = createFormField({
  name: 'MicroAppAudiencePicker',
  component: MicroAppAudiencePicker,
  validation: validateAudience,
  schema: MicroAppAudiencePickerSchema,
});
