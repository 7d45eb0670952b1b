import type {
  AuditEntry,
  GateException,
  GateResult,
  PromotionRequest,
  TierId,
} from '@microapps/plugin-marketplace-common';

/** The format id of an evidence package. @public */
export const EVIDENCE_FORMAT = 'microapps.dev/evidence/v1';

/** One app's governance record, for an auditor to keep and check offline. @public */
export type EvidencePackage = {
  format: typeof EVIDENCE_FORMAT;
  generatedAt: string;
  entityRef: string;
  /** The catalog entity as served when the package was made. */
  manifest: Record<string, unknown>;
  effectiveTier: TierId;
  requestedTier: TierId;
  sbom: { location: string | null; sha256: string | null };
  /** The latest gate run exactly as recorded (its digest is in an audit entry). */
  gates: {
    runId: string;
    evaluatedAt: string;
    tier: TierId;
    status: string;
    inputHash: string;
    results: GateResult[];
  } | null;
  exceptions: GateException[];
  promotions: PromotionRequest[];
  cost: { center: string; monthlyForecast: number; currency: string };
  support: Record<string, unknown>;
  audit: {
    /** Every audit entry of the app, oldest first. */
    entries: AuditEntry[];
    /** The last entry of the whole log when the package was made. */
    chainHead: { seq: number; hash: string };
  };
  /** SHA-256 of the canonical JSON of everything above. */
  digest: string;
};
