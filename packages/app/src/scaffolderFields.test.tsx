import { fireEvent, screen, within } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { marketplaceScaffolderFieldsModule } from '@microapps/plugin-marketplace';

// The create page of the app with the marketplace's form fields module, as App.tsx installs it.
const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'secure-node-webapp',
    namespace: 'default',
    annotations: {
      'microapps.dev/allowed-scopes': 'expenses.read hr.employees.read',
      'microapps.dev/pii-scopes': 'hr.*',
    },
  },
  spec: { type: 'web-app', steps: [] },
};

const parameters = {
  title: 'Secure Node.js web app',
  steps: [
    {
      title: 'About the app',
      schema: {
        properties: {
          audience: {
            title: 'Audience',
            type: 'array',
            items: { type: 'string' },
            'ui:field': 'MicroAppAudiencePicker',
          },
          classification: {
            title: 'Data classification',
            type: 'string',
            'ui:field': 'MicroAppClassificationPicker',
          },
          permissions: {
            title: 'Permissions',
            type: 'array',
            'ui:field': 'MicroAppPermissionPicker',
          },
          costCenter: {
            title: 'Cost center',
            type: 'string',
            'ui:field': 'MicroAppCostCenterPicker',
          },
        },
      },
    },
  ],
};

describe('scaffolder form fields in the app', () => {
  it('renders the four Micro App fields on the template page', async () => {
    const catalogApi = {
      getEntityByRef: jest.fn().mockResolvedValue(template),
      getEntities: jest.fn().mockResolvedValue({ items: [] }),
    };
    const scaffolderApi = {
      getTemplateParameterSchema: jest.fn().mockResolvedValue(parameters),
    };
    renderTestApp({
      features: [scaffolderPlugin, marketplaceScaffolderFieldsModule],
      apis: [
        [catalogApiRef, catalogApi as any],
        [scaffolderApiRef, scaffolderApi as any],
      ],
      config: {
        marketplace: {
          cost: { centers: [{ id: 'CC-4711', name: 'Finance applications' }] },
        },
      },
      initialRouteEntries: ['/create/templates/default/secure-node-webapp'],
    });

    expect(
      await screen.findByRole('radio', { name: 'Restricted' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('textbox', { name: 'Audience' }),
    ).toBeInTheDocument();
    const costCenter = screen.getByRole('textbox', { name: 'Cost center' });
    fireEvent.mouseDown(costCenter);
    expect(
      await screen.findByRole('option', {
        name: 'CC-4711 · Finance applications',
      }),
    ).toBeInTheDocument();

    // The permission picker found the template of the page through the route
    const permissions = await screen.findByRole('textbox', {
      name: 'Permissions',
    });
    fireEvent.mouseDown(permissions);
    const listbox = await screen.findByRole('listbox', { name: 'Permissions' });
    expect(
      within(listbox)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['expenses.read', 'hr.employees.read (personal data)']);
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      'template:default/secure-node-webapp',
    );
    expect(scaffolderApi.getTemplateParameterSchema).toHaveBeenCalledWith(
      'template:default/secure-node-webapp',
    );
  }, 30_000);

  it("runs the fields' validation when the step is submitted", async () => {
    // Validation runs outside React and reads the template from the browser's path
    window.history.pushState(
      {},
      '',
      '/create/templates/default/secure-node-webapp',
    );
    const catalogApi = {
      getEntityByRef: jest.fn().mockResolvedValue(template),
      getEntities: jest.fn().mockResolvedValue({ items: [] }),
    };
    const scaffolderApi = {
      getTemplateParameterSchema: jest.fn().mockResolvedValue(parameters),
    };
    try {
      renderTestApp({
        features: [scaffolderPlugin, marketplaceScaffolderFieldsModule],
        apis: [
          [catalogApiRef, catalogApi as any],
          [scaffolderApiRef, scaffolderApi as any],
        ],
        initialRouteEntries: ['/create/templates/default/secure-node-webapp'],
      });
      const permissions = await screen.findByRole('textbox', {
        name: 'Permissions',
      });
      fireEvent.change(permissions, { target: { value: 'payroll.read' } });
      fireEvent.keyDown(permissions, { key: 'Enter' });
      fireEvent.mouseDown(permissions);
      fireEvent.click(
        await screen.findByRole('option', {
          name: 'hr.employees.read (personal data)',
        }),
      );
      fireEvent.click(screen.getByRole('button', { name: 'Review' }));
      // The form lists the errors at the top and below the field
      expect(
        await screen.findAllByText(
          "Scope 'payroll.read' is not in this template's allowlist (expenses.read, hr.employees.read)",
          { exact: false },
        ),
      ).not.toHaveLength(0);
      expect(
        screen.getAllByText(
          "Scope 'hr.employees.read' reaches personal data: say why the app needs it (at least 10 characters)",
          { exact: false },
        ),
      ).not.toHaveLength(0);
    } finally {
      window.history.pushState({}, '', '/');
    }
  }, 30_000);
});
