import { createExtensionTester } from '@backstage/frontend-test-utils';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import {
  marketplaceScaffolderFieldsModule,
  microAppAudiencePickerFormField,
  microAppClassificationPickerFormField,
  microAppCostCenterPickerFormField,
  microAppPermissionPickerFormField,
} from './scaffolderFields';

describe('scaffolder form fields (new frontend system)', () => {
  it('is a module of the scaffolder plugin', () => {
    expect(marketplaceScaffolderFieldsModule.pluginId).toBe('scaffolder');
  });

  const loaderOf = {
    MicroAppCostCenterPicker: () =>
      createExtensionTester(microAppCostCenterPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
    MicroAppClassificationPicker: () =>
      createExtensionTester(microAppClassificationPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
    MicroAppPermissionPicker: () =>
      createExtensionTester(microAppPermissionPickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
    MicroAppAudiencePicker: () =>
      createExtensionTester(microAppAudiencePickerFormField).get(
        FormFieldBlueprint.dataRefs.formFieldLoader,
      ),
  };

  it.each(Object.keys(loaderOf) as Array<keyof typeof loaderOf>)(
    'loads ui:field %s with its validation',
    async name => {
      const loader = loaderOf[name]();
      // The scaffolder reads these through its internal view of the opaque FormField
      const field = (await loader()) as unknown as {
        $$type: string;
        name: string;
        component: unknown;
        validation?: unknown;
        schema?: { schema: { returnValue: object } };
      };
      expect(field.$$type).toBe('@backstage/scaffolder/FormField');
      expect(field.name).toBe(name);
      expect(field.component).toEqual(expect.any(Function));
      expect(field.validation).toEqual(expect.any(Function));
      expect(field.schema?.schema.returnValue).toEqual(
        expect.objectContaining({ type: expect.any(String) }),
      );
    },
  );
});
