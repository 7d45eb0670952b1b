import { readFileSync } from 'node:fs';
import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parse } from 'yaml';
import { createActionContext, outputsOf } from '../__testUtils__/actionContext';
import { createWriteManifestAction } from './writeManifest';

const template: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'secure-node-webapp',
    namespace: 'default',
    annotations: {
      'microapps.dev/allowed-scopes':
        'expenses.read, expenses.write calendar.* hr.employees.read',
      'microapps.dev/pii-scopes': 'hr.*',
    },
  },
  spec: {},
};
const templateInfo = { entityRef: 'template:default/secure-node-webapp' };

const input = {
  name: 'expense-helper',
  title: 'Expense Helper',
  description: 'Splits team dinner receipts',
  owner: 'group:default/finance-apps',
  type: 'web-app',
  audience: ['group:default/finance'],
  classification: 'confidential',
  residency: ['eu'],
  permissions: [
    { scope: 'expenses.write' },
    {
      scope: 'calendar.events.read',
      pii: true,
      justification: 'shows the dinner date',
    },
  ],
  costCenter: 'CC-4711',
  monthlyForecast: 40,
  supportContact: 'finance-apps@example.com',
  supportRoster: 'finance-apps',
  slaTier: 'S3',
};

describe('marketplace:manifest:write', () => {
  const workspace = createMockDirectory();
  const config = new ConfigReader({
    marketplace: {
      cost: {
        centers: ['CC-1000', { id: 'CC-4711', name: 'Finance applications' }],
      },
    },
  });
  let catalog: ReturnType<typeof catalogServiceMock.mock>;
  let action: ReturnType<typeof createWriteManifestAction>;

  beforeEach(() => {
    workspace.clear();
    catalog = catalogServiceMock.mock({
      getEntityByRef: async ref =>
        ref === 'template:default/secure-node-webapp' ? template : undefined,
    });
    action = createWriteManifestAction({ catalog, config });
  });

  const run = (
    overrides: object = {},
    options: { isDryRun?: boolean; templateInfo?: object | null } = {},
  ) => {
    const ctx = createActionContext({
      input: { ...input, ...overrides },
      workspacePath: workspace.path,
      templateInfo:
        options.templateInfo === null
          ? undefined
          : (options.templateInfo as any) ?? templateInfo,
      isDryRun: options.isDryRun,
    });
    return action.handler(ctx).then(() => ctx);
  };
  const manifest = () =>
    parse(readFileSync(workspace.resolve('catalog-info.yaml'), 'utf8'));

  it('writes the MicroApp entity, checked against the running template', async () => {
    const ctx = await run();
    expect(manifest()).toEqual({
      apiVersion: 'microapps.dev/v1alpha1',
      kind: 'MicroApp',
      metadata: {
        name: 'expense-helper',
        title: 'Expense Helper',
        description: 'Splits team dinner receipts',
        annotations: {
          'microapps.dev/sbom': './sbom.cdx.json',
          'microapps.dev/source-location': 'url:./',
        },
      },
      spec: {
        type: 'web-app',
        owner: 'group:default/finance-apps',
        tier: 'discover',
        template: 'template:default/secure-node-webapp',
        audience: ['group:default/finance'],
        support: {
          roster: 'group:default/finance-apps',
          contact: 'finance-apps@example.com',
          slaTier: 'S3',
        },
        data: { classification: 'confidential', residency: ['eu'] },
        permissions: [
          { scope: 'expenses.write' },
          {
            scope: 'calendar.events.read',
            justification: 'shows the dinner date',
            pii: true,
          },
        ],
        cost: { center: 'CC-4711', monthlyForecast: 40 },
      },
    });
    expect(outputsOf(ctx)).toEqual({
      entityRef: 'microapp:default/expense-helper',
      manifestPath: 'catalog-info.yaml',
    });
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'template:default/secure-node-webapp',
      { credentials: mockCredentials.user() },
    );
  });

  it("marks scopes the template lists as PII, and leaves out fields the template's form left empty", async () => {
    await run({
      permissions: [
        {
          scope: 'hr.employees.read',
          justification: '  finds the cost center ',
        },
      ],
      title: '',
      description: '',
      supportContact: '',
      supportRoster: '',
      slaTier: undefined,
      classification: undefined,
      residency: undefined,
    });
    const written = manifest();
    expect(written.spec.permissions).toEqual([
      {
        scope: 'hr.employees.read',
        justification: 'finds the cost center',
        pii: true,
      },
    ]);
    expect(written.metadata).not.toHaveProperty('title');
    expect(written.metadata).not.toHaveProperty('description');
    expect(written.spec).not.toHaveProperty('support');
    expect(written.spec).not.toHaveProperty('data');
  });

  it('checks against an explicit template ref when given', async () => {
    await expect(
      run({ template: 'secure-node-webapp' }, { templateInfo: null }),
    ).resolves.toBeDefined();
    expect(manifest().spec.template).toBe(
      'template:default/secure-node-webapp',
    );
  });

  it('refuses a scope outside the allowlist, naming the allowlist', async () => {
    await expect(
      run({ permissions: [{ scope: 'payroll.write' }] }),
    ).rejects.toThrow(
      "Scope 'payroll.write' is not in the allowlist of template:default/secure-node-webapp (expenses.read, expenses.write, calendar.*, hr.employees.read)",
    );
  });

  it('refuses a PII scope without a justification of 10 characters', async () => {
    await expect(
      run({
        permissions: [
          { scope: 'expenses.read', pii: true },
          { scope: 'hr.employees.read', justification: 'short' },
        ],
      }),
    ).rejects.toThrow(
      "Scope 'expenses.read' reaches personal data: permissions[0].justification needs at least 10 characters; Scope 'hr.employees.read' reaches personal data: permissions[1].justification needs at least 10 characters",
    );
  });

  it('refuses an unknown cost center, listing the known ones', async () => {
    await expect(run({ costCenter: 'CC-9999' })).rejects.toThrow(
      "Unknown cost center 'CC-9999' in costCenter; known: CC-1000, CC-4711 (Finance applications)",
    );
  });

  it('refuses to run without a template', async () => {
    await expect(run({}, { templateInfo: null })).rejects.toThrow(
      /template: the running template is unknown/,
    );
  });

  it('refuses a template that is not in the catalog', async () => {
    await expect(
      run({}, { templateInfo: { entityRef: 'template:default/gone' } }),
    ).rejects.toThrow(
      "template: 'template:default/gone' is not in the catalog",
    );
  });

  it('reports what makes the entity invalid, naming the field', async () => {
    await expect(run({ owner: 'group:default/' })).rejects.toThrow(
      /The manifest is not a valid MicroApp: spec.owner must be an entity ref/,
    );
    await expect(run({ name: 'Not a name!' })).rejects.toThrow(
      /name must be a valid entity name/,
    );
  });

  it('makes no catalog calls in a dry run, checking against the template of the task', async () => {
    const ctx = await run(
      { permissions: [{ scope: 'expenses.read' }] },
      {
        isDryRun: true,
        templateInfo: {
          entityRef: 'template:default/dry-run',
          entity: { metadata: template.metadata },
        },
      },
    );
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
    expect(manifest().spec.template).toBe('template:default/dry-run');
    expect(outputsOf(ctx).entityRef).toBe('microapp:default/expense-helper');
    await expect(
      run(
        { permissions: [{ scope: 'payroll.write' }] },
        {
          isDryRun: true,
          templateInfo: {
            entityRef: 'template:default/dry-run',
            entity: { metadata: template.metadata },
          },
        },
      ),
    ).rejects.toThrow(/not in the allowlist of template:default\/dry-run/);
  });
});
