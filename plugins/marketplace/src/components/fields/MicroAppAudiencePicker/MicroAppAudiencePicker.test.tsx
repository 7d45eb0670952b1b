import { fireEvent, screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { createFieldValidation } from '@backstage/plugin-scaffolder-react/alpha';
import { TestApiRegistry } from '@backstage/test-utils';
import { Controlled, fieldProps } from '../../../__testUtils__/fieldProps';
import { MicroAppAudiencePicker } from './MicroAppAudiencePicker';
import { validateAudience } from './validation';

const group = (name: string, title?: string, displayName?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', ...(title ? { title } : {}) },
  spec: displayName ? { profile: { displayName } } : {},
});

const groups = [
  group('finance', 'Finance'),
  group('hr', undefined, 'People and HR'),
  group('platform-team'),
];

function render(getEntities: jest.Mock, formData?: string[]) {
  const props = fieldProps<string[]>({
    schema: { title: 'Audience' },
    formData,
  });
  renderInTestApp(
    <Controlled component={MicroAppAudiencePicker} props={props} />,
    { apis: [[catalogApiRef, { getEntities } as any]] },
  );
  return props.onChange;
}

describe('MicroAppAudiencePicker', () => {
  it("offers the catalog's groups by title and reports full refs", async () => {
    const getEntities = jest.fn().mockResolvedValue({ items: groups });
    const onChange = render(getEntities);
    fireEvent.mouseDown(
      await screen.findByRole('textbox', { name: 'Audience' }),
    );
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual([
      'Financegroup:default/finance',
      'People and HRgroup:default/hr',
      'platform-teamgroup:default/platform-team',
    ]);
    expect(getEntities).toHaveBeenCalledWith({
      filter: { kind: 'group' },
      fields: expect.arrayContaining([
        'kind',
        'metadata.name',
        'metadata.title',
      ]),
    });

    fireEvent.click(screen.getByText('Finance'));
    expect(onChange).toHaveBeenLastCalledWith(['group:default/finance']);
    fireEvent.mouseDown(screen.getByRole('textbox', { name: 'Audience' }));
    fireEvent.click(await screen.findByText('People and HR'));
    expect(onChange).toHaveBeenLastCalledWith([
      'group:default/finance',
      'group:default/hr',
    ]);
  });

  it('shows the picked groups, known or not', async () => {
    const getEntities = jest.fn().mockResolvedValue({ items: groups });
    render(getEntities, ['group:default/finance', 'group:default/gone']);
    expect(await screen.findByText('Finance')).toBeInTheDocument();
    expect(screen.getByText('group:default/gone')).toBeInTheDocument();
  });

  it('says that it is loading', async () => {
    render(jest.fn().mockReturnValue(new Promise(() => {})));
    fireEvent.mouseDown(
      await screen.findByRole('textbox', { name: 'Audience' }),
    );
    expect(await screen.findByText('Loading groups…')).toBeInTheDocument();
  });

  it('says when the groups cannot be loaded', async () => {
    render(jest.fn().mockRejectedValue(new Error('catalog down')));
    expect(
      await screen.findByText('Could not load the groups: catalog down'),
    ).toBeInTheDocument();
  });
});

describe('validateAudience', () => {
  it('accepts group refs and refuses anything else', () => {
    const validation = createFieldValidation();
    validateAudience(
      [
        'group:default/finance',
        'Group:tools/x',
        'user:default/casey',
        'finance',
      ],
      validation,
      { apiHolder: TestApiRegistry.from(), formData: {}, schema: {} },
    );
    expect(validation.__errors).toEqual([
      "'user:default/casey' is not a group; the audience takes group refs such as group:default/finance",
      "'finance' is not a group; the audience takes group refs such as group:default/finance",
    ]);
  });
});
