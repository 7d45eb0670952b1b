import { signoffRefusal } from './signoffRefusal';

describe('signoffRefusal', () => {
  const base = {
    stage: 'security',
    submitter: 'user:default/pat',
    owners: ['group:default/platform-team'],
    reviewers: {
      security: ['group:default/security-reviewers'],
      compliance: ['group:default/compliance-reviewers'],
    },
  };
  const signer = (user: string, ...groups: string[]) => ({
    user: `user:default/${user}`,
    claims: [`user:default/${user}`, ...groups.map(g => `group:default/${g}`)],
  });

  it('lets a member of the stage’s reviewer groups sign', () => {
    expect(
      signoffRefusal({ ...base, signer: signer('sam', 'security-reviewers') }),
    ).toBeUndefined();
  });

  it('refuses the submitter, an owner and a member of another group', () => {
    expect(
      signoffRefusal({ ...base, signer: signer('pat', 'security-reviewers') }),
    ).toBe('The submitter may not sign off their own request');
    expect(
      signoffRefusal({
        ...base,
        signer: signer('rita', 'platform-team', 'security-reviewers'),
      }),
    ).toBe('An owner of the app may not sign it off');
    expect(
      signoffRefusal({
        ...base,
        signer: signer('cora', 'compliance-reviewers'),
      }),
    ).toBe(
      "Only members of group:default/security-reviewers may sign off stage 'security'",
    );
    expect(
      signoffRefusal({
        ...base,
        stage: 'budget',
        signer: signer('sam', 'security-reviewers'),
      }),
    ).toBe("Only members of no group may sign off stage 'budget'");
  });
});
