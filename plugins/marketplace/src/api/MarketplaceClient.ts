import { ResponseError } from '@backstage/errors';
import type { FetchApi } from '@backstage/frontend-plugin-api';
import type {
  AppState,
  AppSummary,
  GateRunResponse,
  ListAppsQuery,
} from '@microapps/plugin-marketplace-common';
import type { MarketplaceApi } from './MarketplaceApi';

const path = (ref: { namespace: string; name: string }) =>
  `${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;

/**
 * Calls the marketplace backend through the app's fetch API, which adds the user's token and
 * resolves `plugin://marketplace` through discovery.
 *
 * @public
 */
export class MarketplaceClient implements MarketplaceApi {
  constructor(private readonly options: { fetchApi: FetchApi }) {}

  listApps(
    query: ListAppsQuery,
  ): Promise<{ items: AppSummary[]; nextCursor?: string }> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return this.request(`/apps${search ? `?${search}` : ''}`);
  }

  getApp(ref: { namespace: string; name: string }): Promise<AppState> {
    return this.request(`/apps/${path(ref)}`);
  }

  getGates(ref: { namespace: string; name: string }): Promise<GateRunResponse> {
    return this.request(`/apps/${path(ref)}/gates`);
  }

  private async request<T>(route: string, init?: RequestInit): Promise<T> {
    const response = await this.options.fetchApi.fetch(
      `plugin://marketplace${route}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
