import { CatalogTable } from '@backstage/plugin-catalog';
import { EntityKindFilter } from '@backstage/plugin-catalog-react';
import { microAppColumns } from './microAppColumns';

const context = (kind: string) =>
  ({
    filters: { kind: new EntityKindFilter(kind, kind) },
    entities: [],
  } as any);

describe('microAppColumns', () => {
  it('adds the tier and gate status columns for MicroApps', () => {
    const titles = microAppColumns(context('microapp')).map(c => c.title);
    // name first, then the marketplace's verdict, then owner, type, description, tags
    expect(titles).toHaveLength(8);
    expect(titles.slice(2, 4)).toEqual(['Tier', 'Gate status']);
  });

  it('keeps the default columns of other kinds', () => {
    const titles = microAppColumns(context('component')).map(c => c.title);
    expect(titles).toEqual(
      CatalogTable.defaultColumnsFunc(context('component')).map(c => c.title),
    );
    expect(titles).not.toContain('Tier');
  });
});
