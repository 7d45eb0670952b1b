import { useApi } from '@backstage/frontend-plugin-api';
import type { ListAppsQuery } from '@microapps/plugin-marketplace-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { marketplaceApiRef } from '../../api';

/** One page of apps for the filters; `retry` loads it again. */
export function useAppList(query: ListAppsQuery) {
  const api = useApi(marketplaceApiRef);
  const key = JSON.stringify(query);
  // the key stands for the query: a new object with the same filters loads nothing new
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useAsyncRetry(() => api.listApps(query), [api, key]);
}
