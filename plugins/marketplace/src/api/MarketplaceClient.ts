import { ResponseError } from '@backstage/errors';
import type { FetchApi } from '@backstage/frontend-plugin-api';
import type {
  AppState,
  AppSummary,
  GateRunResponse,
  ListAppsQuery,
  PromotionRequest,
} from '@microapps/plugin-marketplace-common';
import type { MarketplaceApi } from './MarketplaceApi';

const path = (ref: { namespace: string; name: string }) =>
  `${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;

/** `?a=1&b=2` of the values that are set, or nothing. */
function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

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
    return this.request(`/apps${queryString(query)}`);
  }

  listPromotions(
    query: Parameters<MarketplaceApi['listPromotions']>[0],
  ): Promise<{ items: PromotionRequest[] }> {
    return this.request(`/promotions${queryString(query)}`);
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
