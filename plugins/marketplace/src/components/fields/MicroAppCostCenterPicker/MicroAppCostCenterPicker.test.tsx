import { fireEvent, screen } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { configApiRef } from '@backstage/frontend-plugin-api';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { TestApiRegistry } from '@backstage/test-utils';
import { Controlled, fieldProps } from '../../../__testUtils__/fieldProps';
import { costCenterLabel, configuredCostCenters } from './costCenters';
import { MicroAppCostCenterPicker } from './MicroAppCostCenterPicker';
import { validateCostCenter } from './validation';

const centers = [
  'CC-1000',
  { id: 'CC-4711', name: 'Finance applications' },
  { id: 'CC-5100', name: 'People and HR' },
];
const config = { marketplace: { cost: { centers } } };

function validate(value: string, data: object = config) {
  const validation = createFieldValidation();
  validateCostCenter(value, validation, {
    apiHolder: TestApiRegistry.from([
      configApiRef,
      mockApis.config({ data: data as any }),
    ]),
    formData: {},
    schema: {},
  });
  return validation.__errors;
}

describe('cost centers', () => {
  it('reads ids and {id, name} entries and labels them', () => {
    const read = configuredCostCenters(mockApis.config({ data: config }));
    expect(read).toEqual([
      { id: 'CC-1000' },
      { id: 'CC-4711', name: 'Finance applications' },
      { id: 'CC-5100', name: 'People and HR' },
    ]);
    expect(read.map(costCenterLabel)).toEqual([
      'CC-1000',
      'CC-4711 · Finance applications',
      'CC-5100 · People and HR',
    ]);
    expect(configuredCostCenters(mockApis.config())).toEqual([]);
  });
});

describe('MicroAppCostCenterPicker', () => {
  it('offers the configured cost centers and reports the picked id', async () => {
    const props = fieldProps<string>({ schema: { title: 'Cost center' } });
    renderInTestApp(
      <Controlled component={MicroAppCostCenterPicker} props={props} />,
      { config },
    );
    const input = await screen.findByRole('textbox', { name: 'Cost center' });
    fireEvent.mouseDown(input);
    const options = await screen.findAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'CC-1000',
      'CC-4711 · Finance applications',
      'CC-5100 · People and HR',
    ]);
    fireEvent.click(screen.getByText('CC-4711 · Finance applications'));
    expect(props.onChange).toHaveBeenLastCalledWith('CC-4711');
    expect(input).toHaveValue('CC-4711 · Finance applications');
  });

  it('shows the current value with its name', async () => {
    renderInTestApp(
      <MicroAppCostCenterPicker
        {...fieldProps<string>({ formData: 'CC-5100' })}
      />,
      { config },
    );
    expect(
      await screen.findByDisplayValue('CC-5100 · People and HR'),
    ).toBeInTheDocument();
  });

  it('says so when no cost centers are configured and takes a typed id', async () => {
    const props = fieldProps<string>({ schema: { title: 'Cost center' } });
    renderInTestApp(<MicroAppCostCenterPicker {...props} />);
    expect(
      await screen.findByText(/No cost centers are configured/),
    ).toHaveTextContent('marketplace.cost.centers');
    fireEvent.change(screen.getByRole('textbox', { name: 'Cost center' }), {
      target: { value: 'CC-9999' },
    });
    expect(props.onChange).toHaveBeenLastCalledWith('CC-9999');
  });
});

describe('validateCostCenter', () => {
  it('accepts a configured cost center, plain id or with a name', () => {
    expect(validate('CC-4711')).toEqual([]);
    expect(validate('CC-1000')).toEqual([]);
  });

  it('refuses an unknown cost center', () => {
    expect(validate('CC-9999')).toEqual([
      "Unknown cost center 'CC-9999'; pick one of the configured cost centers",
    ]);
  });

  it('has nothing to check against without configured cost centers', () => {
    expect(validate('CC-9999', {})).toEqual([]);
  });
});
