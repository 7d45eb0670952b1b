import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/** A group to pick: its full ref and what people call it. */
export type GroupOption = { ref: string; title: string };

/** The catalog's groups, by title. */
export function useGroups() {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(async (): Promise<GroupOption[]> => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'group' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return items
      .map(entity => {
        const profile = entity.spec?.profile as
          | { displayName?: string }
          | undefined;
        return {
          ref: stringifyEntityRef(entity),
          title:
            entity.metadata.title ||
            profile?.displayName ||
            entity.metadata.name,
        };
      })
      .sort((a, b) => a.title.localeCompare(b.title));
  }, [catalogApi]);
}
