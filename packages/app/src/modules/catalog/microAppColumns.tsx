import {
  CatalogTable,
  CatalogTableColumnsFunc,
} from '@backstage/plugin-catalog';

/**
 * The catalog table's columns, plus the marketplace's tier and gate status when the
 * MicroApp kind is selected. The labels are the marketplace's verdict on each app.
 */
export const microAppColumns: CatalogTableColumnsFunc = context => {
  const kind = context.entities[0]?.kind ?? context.filters.kind?.value;
  if (kind?.toLocaleLowerCase('en-US') !== 'microapp') {
    return CatalogTable.defaultColumnsFunc(context);
  }
  const { columns } = CatalogTable;
  return [
    columns.createTitleColumn({ hidden: true }),
    columns.createNameColumn({ defaultKind: 'MicroApp' }),
    columns.createLabelColumn('microapps.dev/tier', { title: 'Tier' }),
    columns.createLabelColumn('microapps.dev/gate-status', {
      title: 'Gate status',
    }),
    columns.createOwnerColumn(),
    columns.createSpecTypeColumn(),
    columns.createMetadataDescriptionColumn(),
    columns.createTagsColumn(),
  ];
};
