/*
 * The Micro App scaffolder form fields for the new frontend system: one FormFieldBlueprint
 * extension per field, in a module of the scaffolder plugin.
 */
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

const loadFields = () => import('./components/fields/formFields');

/** `ui:field: MicroAppCostCenterPicker`, a cost center of `marketplace.cost.centers`. @public */
export const microAppCostCenterPickerFormField = FormFieldBlueprint.make({
  name: 'micro-app-cost-center-picker',
  params: { field: () => loadFields().then(m => m.costCenterPickerField) },
});

/** `ui:field: MicroAppClassificationPicker`, the data classification. @public */
export const microAppClassificationPickerFormField = FormFieldBlueprint.make({
  name: 'micro-app-classification-picker',
  params: { field: () => loadFields().then(m => m.classificationPickerField) },
});

/** `ui:field: MicroAppPermissionPicker`, scopes from the template's allowlist. @public */
export const microAppPermissionPickerFormField = FormFieldBlueprint.make({
  name: 'micro-app-permission-picker',
  params: { field: () => loadFields().then(m => m.permissionPickerField) },
});

/** `ui:field: MicroAppAudiencePicker`, catalog groups. @public */
export const microAppAudiencePickerFormField = FormFieldBlueprint.make({
  name: 'micro-app-audience-picker',
  params: { field: () => loadFields().then(m => m.audiencePickerField) },
});

/**
 * The four Micro App form fields for the scaffolder (new frontend system); add it to the
 * app's features next to the scaffolder plugin. @public
 */
export const marketplaceScaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    microAppCostCenterPickerFormField,
    microAppClassificationPickerFormField,
    microAppPermissionPickerFormField,
    microAppAudiencePickerFormField,
  ],
});
