import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { marketplaceApiRef } from '../../api';

/** The governance state of the entity on the page. */
export function useAppState() {
  const { entity } = useEntity();
  const api = useApi(marketplaceApiRef);
  const namespace = entity.metadata.namespace ?? 'default';
  const name = entity.metadata.name;
  return useAsync(
    () => api.getApp({ namespace, name }),
    [api, namespace, name],
  );
}
