import { resolveTemplateRef } from './templateRef';

describe('resolveTemplateRef', () => {
  it('prefers ui:options.template, completing kind and namespace', () => {
    expect(
      resolveTemplateRef({
        option: 'static-spa',
        params: { namespace: 'default', templateName: 'secure-node-webapp' },
      }),
    ).toBe('template:default/static-spa');
    expect(resolveTemplateRef({ option: 'template:tools/static-spa' })).toBe(
      'template:tools/static-spa',
    );
  });

  it("takes the template page's route params", () => {
    expect(
      resolveTemplateRef({
        params: { namespace: 'default', templateName: 'secure-node-webapp' },
      }),
    ).toBe('template:default/secure-node-webapp');
  });

  it('falls back to the path of the template page, below any base path', () => {
    expect(
      resolveTemplateRef({
        params: {},
        pathname: '/portal/create/templates/default/static-spa',
      }),
    ).toBe('template:default/static-spa');
    expect(resolveTemplateRef({ pathname: '/create/edit' })).toBeUndefined();
    expect(resolveTemplateRef({})).toBeUndefined();
  });

  it('refuses an option that is not an entity ref', () => {
    expect(() => resolveTemplateRef({ option: 'template:' })).toThrow(
      /was not on the form/,
    );
  });
});
