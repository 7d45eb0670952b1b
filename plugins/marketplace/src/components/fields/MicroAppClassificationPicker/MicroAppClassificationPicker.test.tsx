import { fireEvent, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { TestApiRegistry } from '@backstage/test-utils';
import { Controlled, fieldProps } from '../../../__testUtils__/fieldProps';
import { Classification } from './classifications';
import { MicroAppClassificationPicker } from './MicroAppClassificationPicker';
import { validateClassification } from './validation';

describe('MicroAppClassificationPicker', () => {
  it('offers the four classifications with what they mean and reports the pick', async () => {
    const props = fieldProps<Classification>({
      schema: { title: 'Data classification' },
    });
    renderInTestApp(
      <Controlled component={MicroAppClassificationPicker} props={props} />,
    );
    const radios = await screen.findAllByRole('radio');
    expect(radios.map(r => (r as HTMLInputElement).value)).toEqual([
      'public',
      'internal',
      'confidential',
      'restricted',
    ]);
    const restricted = screen.getByRole('radio', { name: 'Restricted' });
    expect(restricted).toHaveAccessibleDescription(/bank accounts/);
    expect(restricted).toHaveAccessibleDescription(/S1 or S2 support SLA/);
    expect(
      screen.getByRole('radio', { name: 'Confidential' }),
    ).toHaveAccessibleDescription(/residency and an on-call roster/);

    fireEvent.click(screen.getByRole('radio', { name: 'Confidential' }));
    expect(props.onChange).toHaveBeenLastCalledWith('confidential');
    expect(screen.getByRole('radio', { name: 'Confidential' })).toBeChecked();
  });

  it("offers only the template's enum values", async () => {
    renderInTestApp(
      <MicroAppClassificationPicker
        {...fieldProps<Classification>({
          schema: { enum: ['internal', 'confidential'] },
          formData: 'internal',
        })}
      />,
    );
    const radios = await screen.findAllByRole('radio');
    expect(radios.map(r => (r as HTMLInputElement).value)).toEqual([
      'internal',
      'confidential',
    ]);
    expect(screen.getByRole('radio', { name: 'Internal' })).toBeChecked();
  });
});

describe('validateClassification', () => {
  const validate = (value: string) => {
    const validation = createFieldValidation();
    validateClassification(value as Classification, validation, {
      apiHolder: TestApiRegistry.from(),
      formData: {},
      schema: {},
    });
    return validation.__errors;
  };

  it('accepts the four classifications and refuses others', () => {
    expect(validate('restricted')).toEqual([]);
    expect(validate('secret')).toEqual([
      "Unknown classification 'secret'; pick one of public, internal, confidential, restricted",
    ]);
  });
});
