import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { TestApiRegistry } from '@backstage/test-utils';
import { checkPermissions } from './checkPermissions';
import { PermissionRequest, TemplateScopes } from './templateScopes';
import { validatePermissions } from './validation';

const scopes: TemplateScopes = {
  templateRef: 'template:default/secure-node-webapp',
  allowed: [
    'expenses.read',
    'expenses.write',
    'hr.employees.read',
    'calendar.*',
  ],
  pii: ['hr.*'],
};

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'secure-node-webapp',
    namespace: 'default',
    annotations: {
      'microapps.dev/allowed-scopes':
        'expenses.read expenses.write hr.employees.read calendar.*',
      'microapps.dev/pii-scopes': 'hr.*',
    },
  },
  spec: {},
};

describe('checkPermissions', () => {
  it('accepts allowed scopes, patterns and justified personal data', () => {
    expect(
      checkPermissions(scopes, [
        { scope: 'expenses.read' },
        { scope: 'calendar.events.read' },
        {
          scope: 'hr.employees.read',
          pii: true,
          justification: 'looks up the cost center of the employee',
        },
      ]),
    ).toEqual([]);
  });

  it('refuses a scope outside the allowlist', () => {
    expect(checkPermissions(scopes, [{ scope: 'payroll.read' }])).toEqual([
      "Scope 'payroll.read' is not in this template's allowlist (expenses.read, expenses.write, hr.employees.read, calendar.*)",
    ]);
    expect(
      checkPermissions({ ...scopes, allowed: [] }, [{ scope: 'x.y' }]),
    ).toEqual(["Scope 'x.y' is not in this template's allowlist (none)"]);
  });

  it("requires a justification for the template's personal-data scopes", () => {
    const message =
      "Scope 'hr.employees.read' reaches personal data: say why the app needs it (at least 10 characters)";
    expect(checkPermissions(scopes, [{ scope: 'hr.employees.read' }])).toEqual([
      message,
    ]);
    expect(
      checkPermissions(scopes, [
        { scope: 'hr.employees.read', justification: '  long enough ' },
      ]),
    ).toEqual([]);
    expect(
      checkPermissions(scopes, [
        { scope: 'hr.employees.read', justification: ' short   ' },
      ]),
    ).toEqual([message]);
  });

  it('requires a justification when the permission itself says pii', () => {
    expect(
      checkPermissions(scopes, [{ scope: 'expenses.read', pii: true }]),
    ).toEqual([
      "Scope 'expenses.read' reaches personal data: say why the app needs it (at least 10 characters)",
    ]);
  });
});

describe('validatePermissions', () => {
  const validate = async (
    permissions: PermissionRequest[],
    getEntityByRef: jest.Mock,
    templateOption?: string,
  ) => {
    const validation = createFieldValidation();
    await validatePermissions(permissions, validation, {
      apiHolder: TestApiRegistry.from([
        catalogApiRef,
        { getEntityByRef } as any,
      ]),
      formData: {},
      schema: {},
      uiSchema: templateOption
        ? { 'ui:options': { template: templateOption } }
        : {},
    });
    return validation.__errors;
  };

  it('checks the scopes against the template of ui:options.template', async () => {
    const getEntityByRef = jest.fn().mockResolvedValue(template);
    expect(
      await validate(
        [
          { scope: 'expenses.write' },
          { scope: 'hr.employees.read' },
          { scope: 'x.y' },
        ],
        getEntityByRef,
        'secure-node-webapp',
      ),
    ).toEqual([
      "Scope 'hr.employees.read' reaches personal data: say why the app needs it (at least 10 characters)",
      "Scope 'x.y' is not in this template's allowlist (expenses.read, expenses.write, hr.employees.read, calendar.*)",
    ]);
    expect(getEntityByRef).toHaveBeenCalledWith(
      'template:default/secure-node-webapp',
    );
  });

  it('takes the template from the page path', async () => {
    window.history.pushState(
      {},
      '',
      '/create/templates/default/secure-node-webapp',
    );
    try {
      const getEntityByRef = jest.fn().mockResolvedValue(template);
      expect(
        await validate([{ scope: 'expenses.read' }], getEntityByRef),
      ).toEqual([]);
      expect(getEntityByRef).toHaveBeenCalledWith(
        'template:default/secure-node-webapp',
      );
    } finally {
      window.history.pushState({}, '', '/');
    }
  });

  it('says when the template is unknown or missing, and skips an empty list', async () => {
    const getEntityByRef = jest.fn().mockResolvedValue(undefined);
    expect(
      await validate([{ scope: 'expenses.read' }], getEntityByRef, 'gone'),
    ).toEqual([
      "Cannot check the scopes: the template 'template:default/gone' is not in the catalog",
    ]);
    expect(
      await validate([{ scope: 'expenses.read' }], getEntityByRef),
    ).toEqual([
      'Cannot check the scopes: this form names no template (set ui:options.template)',
    ]);
    expect(await validate([], getEntityByRef)).toEqual([]);
  });
});
