import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AppState,
  AppSummary,
  AuditEntry,
  ChargebackReport,
  GateException,
  GateRunResponse,
  ListAppsQuery,
  PromotionRequest,
  PromotionStatus,
} from '@microapps/plugin-marketplace-common';

/** The marketplace backend, as the frontend uses it. @public */
export interface MarketplaceApi {
  /** One page of the apps the user may see (`GET /apps`); pass `nextCursor` on for the next. */
  listApps(
    query: ListAppsQuery,
  ): Promise<{ items: AppSummary[]; nextCursor?: string }>;
  /** The governance state of one app (`GET /apps/{namespace}/{name}`). */
  getApp(ref: { namespace: string; name: string }): Promise<AppState>;
  /**
   * Renews a Discover app for another period (`POST /apps/{namespace}/{name}/renew`); answers
   * the app's new state. 403 without `marketplace.promotion.request` on the app, 409 when it
   * is not in Discover or was already renewed this period.
   */
  renewApp(ref: { namespace: string; name: string }): Promise<AppState>;
  /** The app's latest gate results (`GET /apps/{namespace}/{name}/gates`). */
  getGates(ref: { namespace: string; name: string }): Promise<GateRunResponse>;
  /** Promotion requests matching the filters (`GET /promotions`). */
  listPromotions(query: {
    status?: PromotionStatus;
    stage?: string;
    mine?: boolean;
    entityRef?: string;
    limit?: number;
  }): Promise<{ items: PromotionRequest[] }>;
  /** Requests the promotion of an app to a higher tier (`POST /promotions`). */
  createPromotion(body: {
    entityRef: string;
    targetTier: 'vetted' | 'enterprise';
    comment?: string;
  }): Promise<PromotionRequest>;
  /**
   * Signs a stage (`POST /promotions/{id}/signoffs`). Approving the `budget` stage needs
   * `budget`, the approved monthly budget (above 0); 400 without it.
   */
  signOff(
    promotionId: string,
    body: {
      stage: string;
      decision: 'approve' | 'reject';
      comment: string;
      budget?: number;
    },
  ): Promise<PromotionRequest>;
  /**
   * Excepts one finding of a gate until `expiresAt`, with a reason
   * (`POST /apps/{namespace}/{name}/exceptions`).
   */
  grantException(
    ref: { namespace: string; name: string },
    body: {
      gateId: string;
      findingId: string;
      reason: string;
      expiresAt: string;
    },
  ): Promise<GateException>;
  /** The audit entries of an app, oldest first. */
  listAudit(query: {
    entityRef: string;
    afterSeq?: number;
    limit?: number;
  }): Promise<{ items: AuditEntry[] }>;
  /** The evidence package, as the JSON text to save. */
  getEvidence(ref: { namespace: string; name: string }): Promise<string>;
  /**
   * The chargeback report of a month (`GET /reports/chargeback?month=YYYY-MM`); 403 without
   * `marketplace.report.read`.
   */
  getChargebackReport(month: string): Promise<ChargebackReport>;
  /** The same report as the CSV file to save, byte for byte (with its byte order mark). */
  getChargebackCsv(month: string): Promise<Blob>;
}

/** The API ref of {@link MarketplaceApi}. @public */
export const marketplaceApiRef = createApiRef<MarketplaceApi>({
  id: 'plugin.marketplace.api',
});
