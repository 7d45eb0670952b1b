import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Controlled, fieldProps } from '../../../__testUtils__/fieldProps';
import { MicroAppPermissionPicker } from './MicroAppPermissionPicker';
import type { MicroAppPermissionPickerUiOptions } from './validation';
import type { PermissionRequest } from './templateScopes';

const template = (name: string, allowed: string, pii: string) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'microapps.dev/allowed-scopes': allowed,
      'microapps.dev/pii-scopes': pii,
    },
  },
  spec: {},
});

const templates: Record<string, object> = {
  'template:default/secure-node-webapp': template(
    'secure-node-webapp',
    'expenses.read expenses.write hr.employees.read calendar.*',
    'hr.*',
  ),
  'template:default/static-spa': template('static-spa', 'pricing.read', ''),
};

function render(
  options: {
    getEntityByRef?: jest.Mock;
    uiOptions?: MicroAppPermissionPickerUiOptions;
    formData?: PermissionRequest[];
    route?: string;
    mountPath?: string;
  } = {},
) {
  const getEntityByRef =
    options.getEntityByRef ?? jest.fn(async (ref: string) => templates[ref]);
  const props = fieldProps<
    PermissionRequest[],
    MicroAppPermissionPickerUiOptions
  >({
    schema: { title: 'Permissions' },
    uiSchema: options.uiOptions ? { 'ui:options': options.uiOptions } : {},
    formData: options.formData,
  });
  renderInTestApp(
    <Controlled component={MicroAppPermissionPicker} props={props} />,
    {
      apis: [[catalogApiRef, { getEntityByRef } as any]],
      mountPath:
        options.mountPath ?? '/create/templates/:namespace/:templateName',
      initialRouteEntries: [
        options.route ?? '/create/templates/default/secure-node-webapp',
      ],
    },
  );
  return { onChange: props.onChange, getEntityByRef };
}

async function openOptions() {
  const input = await screen.findByRole('textbox', { name: 'Permissions' });
  fireEvent.mouseDown(input);
  return input;
}

describe('MicroAppPermissionPicker', () => {
  it("offers the allowlist of the page's template and flags personal data", async () => {
    const { getEntityByRef } = render();
    expect(
      screen.getByText(
        'Loading the allowed scopes of template:default/secure-node-webapp…',
      ),
    ).toBeInTheDocument();
    await openOptions();
    expect(getEntityByRef).toHaveBeenCalledWith(
      'template:default/secure-node-webapp',
    );
    expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
      'expenses.read',
      'expenses.write',
      'hr.employees.read (personal data)',
    ]);
    expect(
      screen.getByText(
        /This template allows expenses.read, expenses.write, hr.employees.read, calendar.\*/,
      ),
    ).toBeInTheDocument();
  });

  it('reports picked scopes with pii and the justification typed for each', async () => {
    const { onChange } = render();
    await openOptions();
    fireEvent.click(screen.getByText('expenses.write'));
    expect(onChange).toHaveBeenLastCalledWith([{ scope: 'expenses.write' }]);

    await openOptions();
    fireEvent.click(screen.getByText('hr.employees.read (personal data)'));
    expect(onChange).toHaveBeenLastCalledWith([
      { scope: 'expenses.write' },
      { scope: 'hr.employees.read', pii: true },
    ]);

    const row = screen.getByTestId('permission-hr.employees.read');
    expect(within(row).getByText('Personal data')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'Required for personal data: at least 10 characters (0 so far)',
      ),
    ).toBeInTheDocument();
    fireEvent.change(
      within(row).getByRole('textbox', {
        name: /Why does the app need hr.employees.read/,
      }),
      { target: { value: 'looks up the cost center' } },
    );
    expect(onChange).toHaveBeenLastCalledWith([
      { scope: 'expenses.write' },
      {
        scope: 'hr.employees.read',
        pii: true,
        justification: 'looks up the cost center',
      },
    ]);

    // A scope the template does not list can still be marked as personal data
    fireEvent.click(
      within(screen.getByTestId('permission-expenses.write')).getByRole(
        'checkbox',
        { name: 'Reaches personal data' },
      ),
    );
    expect(onChange).toHaveBeenLastCalledWith([
      { scope: 'expenses.write', pii: true },
      {
        scope: 'hr.employees.read',
        pii: true,
        justification: 'looks up the cost center',
      },
    ]);
    expect(
      within(row).getByRole('checkbox', {
        name: 'Reaches personal data (set by the template)',
      }),
    ).toBeDisabled();
  });

  it('takes a typed scope outside the allowlist and marks it', async () => {
    const { onChange } = render();
    const input = await openOptions();
    fireEvent.change(input, { target: { value: 'calendar.events.read' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.change(input, { target: { value: 'payroll.read' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChange).toHaveBeenLastCalledWith([
      { scope: 'calendar.events.read' },
      { scope: 'payroll.read' },
    ]);
    expect(
      within(screen.getByTestId('permission-payroll.read')).getByText(
        "Not in this template's allowlist",
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('permission-calendar.events.read')).queryByText(
        "Not in this template's allowlist",
      ),
    ).not.toBeInTheDocument();
  });

  it('uses ui:options.template over the page', async () => {
    const { getEntityByRef } = render({
      uiOptions: { template: 'static-spa' },
    });
    await openOptions();
    expect(getEntityByRef).toHaveBeenCalledWith('template:default/static-spa');
    expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
      'pricing.read',
    ]);
  });

  it('shows the current permissions', async () => {
    render({
      formData: [
        { scope: 'hr.employees.read', pii: true, justification: 'cost center' },
      ],
    });
    expect(await screen.findByDisplayValue('cost center')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Required for personal data: at least 10 characters (11 so far)',
      ),
    ).toBeInTheDocument();
  });

  it('says when the template is not in the catalog', async () => {
    render({ route: '/create/templates/default/gone' });
    expect(
      await screen.findByText(
        'The template template:default/gone is not in the catalog, so its allowed scopes are unknown.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });

  it('says when the template cannot be loaded', async () => {
    render({
      getEntityByRef: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    expect(
      await screen.findByText(
        'Could not load the template template:default/secure-node-webapp: catalog down',
      ),
    ).toBeInTheDocument();
  });

  it('says when the form names no template (e.g. in the template editor)', async () => {
    render({ route: '/create/edit', mountPath: '/create/edit' });
    expect(
      await screen.findByText(/This form names no template/),
    ).toBeInTheDocument();
  });
});
