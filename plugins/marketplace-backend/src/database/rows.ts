import type {
  AuditEntry,
  GateException,
  GateResult,
  GateRunStatus,
  PromotionStatus,
  Signoff,
  SignoffDecision,
  TierId,
} from '@microapps/plugin-marketplace-common';
import type {
  AppRecord,
  PromotionRecord,
  StoredGateRun,
} from './MarketplaceStore';

/** Entity refs are case-insensitive in the catalog; we store them in lower case. */
export const normalizeRef = (ref: string) => ref.toLocaleLowerCase('en-US');

export const toIso = (value: string | Date) => new Date(value).toISOString();

const optionalIso = (value: string | Date | null | undefined) =>
  value === null || value === undefined ? undefined : toIso(value);

export type GateRunRow = {
  id: number;
  entity_ref: string;
  tier: string;
  status: string;
  input_hash: string;
  sbom_sha256: string | null;
  results: string;
  evaluated_at: string | Date;
  created_at: string | Date;
};

export type AppRow = {
  entity_ref: string;
  requested_tier: string;
  effective_tier: string;
  gate_status: string;
  latest_run_id: number | null;
  first_seen_at: string | Date;
  updated_at: string | Date;
  tier_changed_at: string | Date | null;
  registered_at: string | Date | null;
  expires_at: string | Date | null;
  registered_by: string | null;
  expired_at?: string | Date | null;
  renewed_at?: string | Date | null;
  renewed_by?: string | null;
};

export type PromotionRow = {
  id: string;
  entity_ref: string;
  from_tier: string;
  target_tier: string;
  status: string;
  revision: number;
  submitter: string;
  comment: string | null;
  stages: string;
  created_at: string | Date;
  updated_at: string | Date;
  decided_at: string | Date | null;
};

export type SignoffRow = {
  id: number;
  promotion_id: string;
  revision: number;
  stage: string;
  decision: string;
  comment: string;
  reviewer: string;
  created_at: string | Date;
  /** The budget an approval of the `budget` stage recorded. */
  budget?: string | number | null;
};

export type ExceptionRow = {
  id: string;
  entity_ref: string;
  gate_id: string;
  finding_id: string;
  reason: string;
  expires_at: string | Date;
  granted_by: string;
  granted_at: string | Date;
  revoked_at: string | Date | null;
  revoked_by: string | null;
  lapsed_at: string | Date | null;
  warned_at: string | Date | null;
};

export type AuditRow = {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity_ref: string | null;
  data: string;
  prev_hash: string;
  hash: string;
};

export function toGateRun(row: GateRunRow): StoredGateRun {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    tier: row.tier as TierId,
    status: row.status as GateRunStatus,
    inputHash: row.input_hash,
    ...(row.sbom_sha256 && { sbomSha256: row.sbom_sha256 }),
    results: JSON.parse(row.results) as GateResult[],
    evaluatedAt: toIso(row.evaluated_at),
  };
}

export function toAppRecord(row: AppRow): AppRecord {
  return {
    entityRef: row.entity_ref,
    requestedTier: row.requested_tier as TierId,
    effectiveTier: row.effective_tier as TierId,
    gateStatus: row.gate_status as GateRunStatus,
    latestRunId:
      row.latest_run_id === null ? undefined : String(row.latest_run_id),
    firstSeenAt: toIso(row.first_seen_at),
    updatedAt: toIso(row.updated_at),
    tierChangedAt: optionalIso(row.tier_changed_at),
    registeredAt: optionalIso(row.registered_at),
    expiresAt: optionalIso(row.expires_at),
    ...(row.registered_by && { registeredBy: row.registered_by }),
    expiredAt: optionalIso(row.expired_at),
    renewedAt: optionalIso(row.renewed_at),
    ...(row.renewed_by && { renewedBy: row.renewed_by }),
  };
}

export function toPromotion(row: PromotionRow): PromotionRecord {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    fromTier: row.from_tier as TierId,
    targetTier: row.target_tier as TierId,
    status: row.status as PromotionStatus,
    revision: Number(row.revision),
    submitter: row.submitter,
    ...(row.comment !== null && { comment: row.comment }),
    stageIds: JSON.parse(row.stages) as string[],
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    decidedAt: optionalIso(row.decided_at),
  };
}

export function fromPromotion(p: Partial<PromotionRecord>) {
  return {
    ...(p.id !== undefined && { id: p.id }),
    ...(p.entityRef !== undefined && { entity_ref: normalizeRef(p.entityRef) }),
    ...(p.fromTier !== undefined && { from_tier: p.fromTier }),
    ...(p.targetTier !== undefined && { target_tier: p.targetTier }),
    ...(p.status !== undefined && { status: p.status }),
    ...(p.revision !== undefined && { revision: p.revision }),
    ...(p.submitter !== undefined && { submitter: p.submitter }),
    ...('comment' in p && { comment: p.comment ?? null }),
    ...(p.stageIds !== undefined && { stages: JSON.stringify(p.stageIds) }),
    ...(p.createdAt !== undefined && { created_at: new Date(p.createdAt) }),
    ...(p.updatedAt !== undefined && { updated_at: new Date(p.updatedAt) }),
    ...(p.decidedAt !== undefined && { decided_at: new Date(p.decidedAt) }),
  };
}

export function toSignoff(row: SignoffRow): Signoff {
  return {
    id: String(row.id),
    stage: row.stage,
    decision: row.decision as SignoffDecision,
    comment: row.comment,
    reviewer: row.reviewer,
    revision: Number(row.revision),
    createdAt: toIso(row.created_at),
    ...(row.budget !== null &&
      row.budget !== undefined && { budget: Number(row.budget) }),
  };
}

export function toException(
  row: ExceptionRow,
  now = new Date(),
): GateException {
  const expiresAt = toIso(row.expires_at);
  let status: GateException['status'] = 'active';
  if (row.revoked_at) status = 'revoked';
  else if (new Date(expiresAt).getTime() <= now.getTime()) status = 'lapsed';
  return {
    id: row.id,
    entityRef: row.entity_ref,
    gateId: row.gate_id,
    findingId: row.finding_id,
    reason: row.reason,
    expiresAt,
    grantedBy: row.granted_by,
    grantedAt: toIso(row.granted_at),
    status,
    revokedAt: optionalIso(row.revoked_at),
    ...(row.revoked_by && { revokedBy: row.revoked_by }),
  };
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actor: row.actor,
    action: row.action,
    entityRef: row.entity_ref,
    data: JSON.parse(row.data),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
