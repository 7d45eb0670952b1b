import { ComponentType, useState } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';

/** Props of a scaffolder field as the form passes them, with a jest onChange. */
export function fieldProps<T, O = {}>(
  overrides: Partial<FieldExtensionComponentProps<T, O>> = {},
): FieldExtensionComponentProps<T, O> & { onChange: jest.Mock } {
  return {
    name: 'field',
    schema: {},
    uiSchema: {},
    idSchema: { $id: 'root_field' },
    formData: undefined,
    rawErrors: [],
    required: false,
    disabled: false,
    readonly: false,
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    registry: {},
    ...overrides,
    onChange: jest.fn(),
  } as unknown as FieldExtensionComponentProps<T, O> & { onChange: jest.Mock };
}

/**
 * Renders a field the way the form does: the value it reports comes back as `formData`.
 * `onChange` (the spy of `props`) sees every reported value.
 */
export function Controlled<T, O>(props: {
  component: ComponentType<FieldExtensionComponentProps<T, O>>;
  props: FieldExtensionComponentProps<T, O>;
}) {
  const { component: Field, props: fieldPropsValue } = props;
  const [formData, setFormData] = useState(fieldPropsValue.formData);
  return (
    <Field
      {...fieldPropsValue}
      formData={formData}
      onChange={value => {
        setFormData(value);
        fieldPropsValue.onChange(value);
      }}
    />
  );
}
