import { checkTierRequirements } from './tierRequirements';

const discoverReady = {
  type: 'web-app',
  owner: 'group:default/a',
  cost: { center: 'CC-1', monthlyForecast: 1 },
  support: { contact: 'a@example.com' },
  data: { classification: 'internal' },
  permissions: [{ scope: 'x.read', justification: 'reads x' }],
};
const vettedReady = {
  ...discoverReady,
  support: {
    ...discoverReady.support,
    roster: 'group:default/oncall',
    slaTier: 'S3',
  },
  data: { classification: 'internal', residency: ['eu'] },
};
const enterpriseReady = {
  ...vettedReady,
  support: { ...vettedReady.support, runbook: 'https://wiki.example.com/rb' },
};

describe('checkTierRequirements', () => {
  it('accepts a manifest that is complete for its tier', () => {
    expect(checkTierRequirements(discoverReady, 'discover')).toEqual([]);
    expect(checkTierRequirements(vettedReady, 'vetted')).toEqual([]);
    expect(checkTierRequirements(enterpriseReady, 'enterprise')).toEqual([]);
  });

  it('grows with the tier', () => {
    expect(checkTierRequirements(discoverReady, 'vetted')).toEqual([
      'spec.support.roster is required',
      'spec.support.slaTier is required',
      'spec.data.residency is required',
    ]);
    expect(checkTierRequirements(vettedReady, 'enterprise')).toEqual([
      'spec.support.runbook is required',
    ]);
  });

  it('requires support contact and data classification from Discover on', () => {
    const { support, data, ...bare } = discoverReady;
    expect(checkTierRequirements(bare, 'discover')).toEqual([
      'spec.support is required',
      'spec.data is required',
    ]);
  });

  it('requires a justification for every permission', () => {
    const spec = {
      ...discoverReady,
      permissions: [{ scope: 'a' }, { scope: 'b', justification: '' }],
    };
    expect(checkTierRequirements(spec, 'discover')).toEqual([
      'spec.permissions[0].justification is required',
      'spec.permissions[1].justification must be a non-empty string',
    ]);
  });

  it('requires at least one residency region from Vetted on', () => {
    const spec = {
      ...vettedReady,
      data: { classification: 'internal', residency: [] },
    };
    expect(checkTierRequirements(spec, 'vetted')).toEqual([
      'spec.data.residency must be a non-empty list',
    ]);
  });
});
