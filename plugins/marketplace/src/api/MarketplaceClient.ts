import { ResponseError } from '@backstage/errors';
import type { FetchApi } from '@backstage/frontend-plugin-api';
import type {
  AppState,
  AppSummary,
  AuditEntry,
  ChargebackReport,
  GateException,
  GateRunResponse,
  ListAppsQuery,
  PromotionRequest,
} from '@microapps/plugin-marketplace-common';
import type { MarketplaceApi } from './MarketplaceApi';

const path = (ref: { namespace: string; name: string }) =>
  `${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

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

  /** {@inheritDoc MarketplaceApi.listApps} */
  listApps(
    query: ListAppsQuery,
  ): Promise<{ items: AppSummary[]; nextCursor?: string }> {
    return this.request(`/apps${queryString(query)}`);
  }

  /** {@inheritDoc MarketplaceApi.listPromotions} */
  listPromotions(
    query: Parameters<MarketplaceApi['listPromotions']>[0],
  ): Promise<{ items: PromotionRequest[] }> {
    return this.request(`/promotions${queryString(query)}`);
  }

  /** {@inheritDoc MarketplaceApi.createPromotion} */
  createPromotion(
    body: Parameters<MarketplaceApi['createPromotion']>[0],
  ): Promise<PromotionRequest> {
    return this.request('/promotions', post(body));
  }

  /** {@inheritDoc MarketplaceApi.signOff} */
  signOff(
    promotionId: string,
    body: Parameters<MarketplaceApi['signOff']>[1],
  ): Promise<PromotionRequest> {
    return this.request(
      `/promotions/${encodeURIComponent(promotionId)}/signoffs`,
      post(body),
    );
  }

  /** {@inheritDoc MarketplaceApi.grantException} */
  grantException(
    ref: { namespace: string; name: string },
    body: Parameters<MarketplaceApi['grantException']>[1],
  ): Promise<GateException> {
    return this.request(`/apps/${path(ref)}/exceptions`, post(body));
  }

  /** {@inheritDoc MarketplaceApi.listAudit} */
  listAudit(
    query: Parameters<MarketplaceApi['listAudit']>[0],
  ): Promise<{ items: AuditEntry[] }> {
    return this.request(`/audit${queryString(query)}`);
  }

  /** {@inheritDoc MarketplaceApi.getEvidence} */
  async getEvidence(ref: { namespace: string; name: string }): Promise<string> {
    const response = await this.fetch(`/apps/${path(ref)}/evidence`);
    return response.text();
  }

  /** {@inheritDoc MarketplaceApi.getChargebackReport} */
  getChargebackReport(month: string): Promise<ChargebackReport> {
    return this.request(`/reports/chargeback${queryString({ month })}`);
  }

  /** {@inheritDoc MarketplaceApi.getChargebackCsv} */
  async getChargebackCsv(month: string): Promise<Blob> {
    // a Blob keeps the byte order mark that text() would strip; Excel needs it
    const response = await this.fetch(
      `/reports/chargeback${queryString({ month, format: 'csv' })}`,
    );
    return response.blob();
  }

  /** {@inheritDoc MarketplaceApi.getApp} */
  getApp(ref: { namespace: string; name: string }): Promise<AppState> {
    return this.request(`/apps/${path(ref)}`);
  }

  /** {@inheritDoc MarketplaceApi.renewApp} */
  renewApp(ref: { namespace: string; name: string }): Promise<AppState> {
    return this.request(`/apps/${path(ref)}/renew`, { method: 'POST' });
  }

  /** {@inheritDoc MarketplaceApi.getGates} */
  getGates(ref: { namespace: string; name: string }): Promise<GateRunResponse> {
    return this.request(`/apps/${path(ref)}/gates`);
  }

  private async request<T>(route: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetch(route, init)).json()) as T;
  }

  private async fetch(route: string, init?: RequestInit): Promise<Response> {
    const response = await this.options.fetchApi.fetch(
      `plugin://marketplace${route}`,
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}
