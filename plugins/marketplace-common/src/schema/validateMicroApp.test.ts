import { validateMicroAppEntity } from './validateMicroApp';

function app(
  spec: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'microapps.dev/v1alpha1',
    kind: 'MicroApp',
    metadata: { name: 'expense-helper' },
    spec,
    ...extra,
  };
}

const minimal = {
  type: 'web-app',
  owner: 'group:default/finance-apps',
  cost: { center: 'CC-4711', monthlyForecast: 40 },
};

const full = {
  ...minimal,
  tier: 'enterprise',
  template: 'template:default/secure-node-webapp',
  audience: ['group:default/finance'],
  support: {
    roster: 'group:default/finance-apps-oncall',
    contact: 'finance-apps@example.com',
    slaTier: 'S1',
    runbook: 'https://wiki.example.com/expense-helper/runbook',
  },
  data: { classification: 'confidential', residency: ['eu'] },
  permissions: [
    { scope: 'expenses.write', justification: 'files expenses' },
    {
      scope: 'hr.employees.read',
      pii: true,
      justification: 'cost center lookup',
    },
  ],
  dependsOn: ['resource:default/expenses-db'],
};

function errorsOf(entity: unknown): string[] {
  const result = validateMicroAppEntity(entity);
  if (result.valid) {
    throw new Error('expected the entity to be invalid');
  }
  return result.errors;
}

describe('validateMicroAppEntity', () => {
  it.each([
    ['discover', { ...minimal, tier: 'discover' }],
    [
      'vetted',
      {
        ...minimal,
        tier: 'vetted',
        support: { roster: 'group:default/oncall', slaTier: 'S3' },
      },
    ],
    ['enterprise', full],
    ['no tier (defaults to discover)', minimal],
  ])('accepts a valid %s app', (_name, spec) => {
    expect(validateMicroAppEntity(app(spec))).toEqual({
      valid: true,
      entity: app(spec),
    });
  });

  it.each([['type'], ['owner'], ['cost']])(
    'names the missing required field spec.%s',
    field => {
      const spec: Record<string, unknown> = { ...full };
      delete spec[field];
      expect(errorsOf(app(spec))).toEqual([`spec.${field} is required`]);
    },
  );

  it.each([['center'], ['monthlyForecast']])(
    'names the missing spec.cost.%s',
    field => {
      const cost: Record<string, unknown> = {
        center: 'CC-1',
        monthlyForecast: 1,
      };
      delete cost[field];
      expect(errorsOf(app({ ...minimal, cost }))).toEqual([
        `spec.cost.${field} is required`,
      ]);
    },
  );

  it('refuses a missing spec altogether', () => {
    expect(
      errorsOf({
        apiVersion: 'microapps.dev/v1alpha1',
        kind: 'MicroApp',
        metadata: { name: 'x' },
      }),
    ).toEqual(['spec is required']);
  });

  it.each([
    ['type', { type: '' }, 'spec.type must be a non-empty string'],
    ['type', { type: 42 }, 'spec.type must be a non-empty string'],
    ['owner', { owner: ['group:a'] }, 'spec.owner must be a non-empty string'],
    [
      'tier',
      { tier: 'production' },
      'spec.tier must be one of: discover, vetted, enterprise',
    ],
    ['template', { template: '' }, 'spec.template must be a non-empty string'],
    [
      'audience',
      { audience: 'group:default/finance' },
      'spec.audience must be a list',
    ],
    [
      'audience item',
      { audience: [''] },
      'spec.audience[0] must be a non-empty string',
    ],
    ['support', { support: 'someone' }, 'spec.support must be an object'],
    [
      'support.slaTier',
      { support: { slaTier: 'S4' } },
      'spec.support.slaTier must be one of: S1, S2, S3',
    ],
    [
      'support.runbook',
      { support: { runbook: 'not a url' } },
      'spec.support.runbook must be a valid URL',
    ],
    [
      'support.roster',
      { support: { roster: 7 } },
      'spec.support.roster must be a non-empty string',
    ],
    [
      'support.contact',
      { support: { contact: '' } },
      'spec.support.contact must be a non-empty string',
    ],
    [
      'data.classification',
      { data: { classification: 'secret' } },
      'spec.data.classification must be one of: public, internal, confidential, restricted',
    ],
    [
      'data.residency',
      { data: { residency: 'eu' } },
      'spec.data.residency must be a list',
    ],
    [
      'permissions',
      { permissions: { scope: 'a' } },
      'spec.permissions must be a list',
    ],
    [
      'permissions[].scope',
      { permissions: [{ justification: 'x' }] },
      'spec.permissions[0].scope is required',
    ],
    [
      'permissions[].pii',
      { permissions: [{ scope: 'a', pii: 'yes' }] },
      'spec.permissions[0].pii must be true or false',
    ],
    [
      'permissions[].justification',
      { permissions: [{ scope: 'a', justification: 3 }] },
      'spec.permissions[0].justification must be a string',
    ],
    [
      'cost.center',
      { cost: { center: '', monthlyForecast: 1 } },
      'spec.cost.center must be a non-empty string',
    ],
    [
      'cost.monthlyForecast (negative)',
      { cost: { center: 'CC-1', monthlyForecast: -1 } },
      'spec.cost.monthlyForecast must be a number >= 0',
    ],
    [
      'cost.monthlyForecast (string)',
      { cost: { center: 'CC-1', monthlyForecast: '40' } },
      'spec.cost.monthlyForecast must be a number >= 0',
    ],
    [
      'dependsOn',
      { dependsOn: [3] },
      'spec.dependsOn[0] must be a non-empty string',
    ],
  ])('names the wrong field %s', (_field, patch, message) => {
    expect(errorsOf(app({ ...minimal, ...patch }))).toEqual([message]);
  });

  it('names unknown fields, so that typos are not silently ignored', () => {
    expect(
      errorsOf(
        app({ ...minimal, cost: { center: 'CC-1', montlyForecast: 3 } }),
      ),
    ).toEqual([
      'spec.cost.monthlyForecast is required',
      'spec.cost.montlyForecast is not a known field of the MicroApp kind',
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      errorsOf(
        app({
          type: 'web-app',
          tier: 'gold',
          cost: { center: 'CC-1', monthlyForecast: -5 },
        }),
      ),
    ).toEqual([
      'spec.owner is required',
      'spec.tier must be one of: discover, vetted, enterprise',
      'spec.cost.monthlyForecast must be a number >= 0',
    ]);
  });

  it.each([
    ['spec.owner', { owner: 'group:default/' }],
    ['spec.support.roster', { support: { roster: 'group:default/' } }],
    ['spec.audience[1]', { audience: ['group:default/finance', 'user:'] }],
    ['spec.dependsOn[0]', { dependsOn: ['resource:/'] }],
  ])('refuses a malformed entity ref in %s', (path, patch) => {
    const [error] = errorsOf(app({ ...minimal, ...patch }));
    expect(error).toMatch(
      new RegExp(`^${path.replace(/[[\]]/g, '\\$&')} must be an entity ref`),
    );
  });

  it('refuses another kind or apiVersion', () => {
    expect(errorsOf(app(minimal, { kind: 'Component' }))).toEqual([
      "kind must be 'MicroApp'",
    ]);
    expect(errorsOf(app(minimal, { apiVersion: 'microapps.dev/v2' }))).toEqual([
      "apiVersion must be 'microapps.dev/v1alpha1'",
    ]);
  });
});
