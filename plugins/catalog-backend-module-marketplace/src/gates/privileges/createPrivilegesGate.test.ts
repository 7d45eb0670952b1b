import { Entity } from '@backstage/catalog-model';
import { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import { createTestGateContext } from '../../__testUtils__/gateContext';
import { createPrivilegesGate } from './createPrivilegesGate';

const template: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'secure-node-webapp',
    namespace: 'default',
    annotations: {
      'microapps.dev/allowed-scopes':
        'expenses.read, expenses.write\n hr.employees.read calendar.*',
      'microapps.dev/pii-scopes': 'hr.*',
    },
  },
  spec: {},
};

const app = (spec: object): MicroAppEntityV1alpha1 =>
  ({
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name: 'a', namespace: 'default' },
    spec: {
      type: 'web-app',
      owner: 'group:default/a',
      cost: { center: 'CC-1', monthlyForecast: 1 },
      template: 'template:default/secure-node-webapp',
      ...spec,
    },
  } as MicroAppEntityV1alpha1);

describe('privileges gate', () => {
  const getTemplate = jest.fn(async (ref: string) =>
    ref === 'template:default/secure-node-webapp' ? template : undefined,
  );
  const gate = createPrivilegesGate({ getTemplate });
  const run = (spec: object) =>
    gate.evaluate(
      { entity: app(spec), tier: 'vetted', facts: {} },
      createTestGateContext(),
    );

  it('passes scopes within the allowlist, including prefix patterns', async () => {
    const result = await run({
      permissions: [
        { scope: 'expenses.write', justification: 'files expenses' },
        { scope: 'calendar.events.write', justification: 'publishes' },
      ],
    });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(getTemplate).toHaveBeenCalledWith(
      'template:default/secure-node-webapp',
    );
  });

  it('fails a scope outside the allowlist', async () => {
    const result = await run({
      permissions: [{ scope: 'payroll.write', justification: 'pays people' }],
    });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({
        id: 'not-allowed:payroll.write',
        severity: 'high',
        location: 'spec.permissions[0]',
      }),
    ]);
  });

  it('needs a justification for PII scopes, marked by the app or by the template', async () => {
    const result = await run({
      permissions: [
        { scope: 'hr.employees.read', justification: 'short' },
        { scope: 'expenses.read', pii: true },
        {
          scope: 'expenses.write',
          pii: true,
          justification: 'files expenses for the user',
        },
      ],
    });
    expect(result.findings.map(f => f.id)).toEqual([
      'pii-unjustified:hr.employees.read',
      'pii-unjustified:expenses.read',
    ]);
  });

  it('fails when the template does not exist', async () => {
    const result = await run({
      template: 'template:default/gone',
      permissions: [],
    });
    expect(result.status).toBe('fail');
    expect(result.findings[0].id).toBe('template-not-found');
  });

  it('fails permissions without a template, passes an app that requests none', async () => {
    const noTemplate = await run({
      template: undefined,
      permissions: [{ scope: 'a', justification: 'b' }],
    });
    expect(noTemplate.findings[0].id).toBe('no-template');
    const nothing = await run({ template: undefined });
    expect(nothing.status).toBe('pass');
  });
});
