import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { loadTemplateScopes } from './templateScopes';

/** The scope lists of the template; `value` is undefined when it is not in the catalog. */
export function useTemplateScopes(templateRef: string | undefined) {
  const catalogApi = useApi(catalogApiRef);
  return useAsync(
    async () =>
      templateRef ? loadTemplateScopes(catalogApi, templateRef) : undefined,
    [catalogApi, templateRef],
  );
}
