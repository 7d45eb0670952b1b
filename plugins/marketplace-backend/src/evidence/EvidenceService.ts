import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_SBOM,
  ANNOTATION_SBOM_SHA256,
  DEFAULT_TIER,
} from '@microapps/plugin-marketplace-common';
import type { MarketplaceStore } from '../database/MarketplaceStore';
import { AppDirectory, AppRef, appEntityRef } from '../service/AppDirectory';
import type { PromotionService } from '../service/workflow/PromotionService';
import { evidenceDigest } from './verifyEvidence';
import { EVIDENCE_FORMAT, type EvidencePackage } from './types';

/** Assembles an app's evidence package from the catalog, the store and the audit log. */
export class EvidenceService {
  constructor(
    private readonly options: {
      store: MarketplaceStore;
      directory: AppDirectory;
      promotions: PromotionService;
      currency: string;
    },
  ) {}

  async build(
    ref: AppRef,
    credentials: BackstageCredentials,
  ): Promise<EvidencePackage> {
    const { store, directory, promotions, currency } = this.options;
    const entity = await directory.getVisibleApp(ref, credentials);
    const entityRef = appEntityRef(ref);
    const [apps, run, exceptions, chainHead] = await Promise.all([
      store.getApps([entityRef]),
      store.getLatestGateRun(entityRef),
      store.listExceptions([entityRef]),
      store.getAuditHead(),
    ]);
    const requests = await promotions.listForApp(entityRef, [
      'open',
      'rejected',
      'withdrawn',
      'approved',
    ]);
    requests.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const entries = [];
    for (let afterSeq = 0; ; ) {
      const batch = await store.listAudit({ entityRef, afterSeq, limit: 1000 });
      entries.push(...batch);
      if (batch.length < 1000) break;
      afterSeq = batch[batch.length - 1].seq;
    }
    const annotations = entity.metadata.annotations ?? {};
    const content: Omit<EvidencePackage, 'digest'> = {
      format: EVIDENCE_FORMAT,
      generatedAt: new Date().toISOString(),
      entityRef,
      manifest: entity as unknown as Record<string, unknown>,
      effectiveTier: apps.get(entityRef)?.effectiveTier ?? DEFAULT_TIER,
      requestedTier: entity.spec.tier ?? DEFAULT_TIER,
      sbom: {
        location: annotations[ANNOTATION_SBOM] ?? null,
        sha256: run?.sbomSha256 ?? annotations[ANNOTATION_SBOM_SHA256] ?? null,
      },
      gates: run
        ? {
            runId: run.id,
            evaluatedAt: run.evaluatedAt,
            tier: run.tier,
            status: run.status,
            inputHash: run.inputHash,
            results: run.results,
          }
        : null,
      exceptions,
      promotions: requests,
      cost: {
        center: entity.spec.cost.center,
        monthlyForecast: entity.spec.cost.monthlyForecast,
        currency,
      },
      support: { ...(entity.spec.support ?? {}) },
      audit: { entries, chainHead },
    };
    return { ...content, digest: evidenceDigest(content) };
  }
}
