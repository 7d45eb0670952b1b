import {
  checkAuditLink,
  canonicalJson,
  hashAuditEntry,
  sha256Hex,
} from '../audit/auditHash';
import { EVIDENCE_FORMAT, type EvidencePackage } from './types';

/** What a check of a package found; `ok` only when `problems` is empty. @public */
export interface EvidenceVerdict {
  /** True when the package verified: no problems were found. */
  ok: boolean;
  /** One line per problem found, e.g. a digest mismatch or an unbacked sign-off. */
  problems: string[];
  /** How many audit entries were checked; 0 when the input is not an evidence package. */
  checkedEntries: number;
}

/** The package's digest: SHA-256 of the canonical JSON of everything but the digest. @public */
export function evidenceDigest(pkg: Omit<EvidencePackage, 'digest'>): string {
  const { digest: _, ...content } = pkg as EvidencePackage;
  return sha256Hex(canonicalJson(content));
}

const isObject = (value: unknown): value is Record<string, any> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

/** The entry's hash, or undefined when the entry is too broken to hash. */
function safeHash(entry: EvidencePackage['audit']['entries'][number]) {
  try {
    return hashAuditEntry(entry);
  } catch {
    return undefined;
  }
}

const dataOf = (entry: { data?: unknown }) =>
  (isObject(entry.data) ? entry.data : {}) as Record<string, unknown>;

const find = (
  entries: EvidencePackage['audit']['entries'],
  action: string,
  match: (data: Record<string, unknown>) => boolean,
) => entries.some(e => e.action === action && match(dataOf(e)));

/**
 * Checks a saved evidence package without the marketplace: its digest, the hash of every
 * audit entry, their order, and that every sign-off, exception and the gate results it shows
 * are backed by an audit entry with the same content.
 *
 * @public
 */
export function verifyEvidence(input: unknown): EvidenceVerdict {
  const problems: string[] = [];
  const pkg = input as EvidencePackage;
  if (!pkg || typeof pkg !== 'object' || pkg.format !== EVIDENCE_FORMAT) {
    return {
      ok: false,
      problems: [
        `not an evidence package: format must be '${EVIDENCE_FORMAT}'`,
      ],
      checkedEntries: 0,
    };
  }
  if (typeof pkg.digest !== 'string' || evidenceDigest(pkg) !== pkg.digest) {
    problems.push('digest: the content does not match the package digest');
  }
  const entries = (
    Array.isArray(pkg.audit?.entries) ? pkg.audit.entries : []
  ).filter(isObject) as EvidencePackage['audit']['entries'];
  if (entries.length !== (pkg.audit?.entries?.length ?? 0)) {
    problems.push('audit: an entry is not an object');
  }
  let previous: (typeof entries)[number] | undefined;
  for (const entry of entries) {
    const intact = safeHash(entry) === entry.hash;
    if (!intact) {
      problems.push(
        `audit entry ${entry.seq}: its hash does not match its content`,
      );
    }
    if (entry.entityRef !== pkg.entityRef) {
      problems.push(`audit entry ${entry.seq}: belongs to ${entry.entityRef}`);
    }
    if (previous && entry.seq <= previous.seq) {
      problems.push(`audit entry ${entry.seq}: out of order`);
    }
    if (intact && previous && entry.seq === previous.seq + 1) {
      // consecutive entries of the whole log must link; others are checked by their hashes
      const link = checkAuditLink(entry, previous);
      if (link) problems.push(`audit ${link}`);
    }
    previous = entry;
  }
  const head = pkg.audit?.chainHead;
  if (previous && head && previous.seq > head.seq) {
    problems.push(`audit entry ${previous.seq}: newer than the chain head`);
  }
  if (
    previous &&
    head &&
    previous.seq === head.seq &&
    previous.hash !== head.hash
  ) {
    problems.push(
      `audit entry ${previous.seq}: does not match the chain head's hash`,
    );
  }

  for (const promotion of (Array.isArray(pkg.promotions)
    ? pkg.promotions
    : []
  ).filter(isObject) as EvidencePackage['promotions']) {
    if (
      !find(entries, 'promotion.created', d => d.promotionId === promotion.id)
    ) {
      problems.push(
        `promotion ${promotion.id}: no audit entry records its creation`,
      );
    }
    const signoffs = Array.isArray(promotion.signoffs)
      ? promotion.signoffs.filter(isObject)
      : [];
    for (const s of signoffs as EvidencePackage['promotions'][number]['signoffs']) {
      const backed = entries.some(
        e =>
          e.action === 'signoff.recorded' &&
          e.actor === s.reviewer &&
          dataOf(e).promotionId === promotion.id &&
          dataOf(e).stage === s.stage &&
          dataOf(e).decision === s.decision &&
          dataOf(e).revision === s.revision &&
          dataOf(e).comment === s.comment,
      );
      if (!backed) {
        problems.push(
          `promotion ${promotion.id}: the ${s.decision} of stage '${s.stage}' (revision ${s.revision}) by ${s.reviewer} has no matching audit entry`,
        );
      }
    }
  }
  for (const e of (Array.isArray(pkg.exceptions) ? pkg.exceptions : []).filter(
    isObject,
  ) as EvidencePackage['exceptions']) {
    const backed = entries.some(
      a =>
        a.action === 'exception.granted' &&
        a.actor === e.grantedBy &&
        dataOf(a).exceptionId === e.id &&
        dataOf(a).gateId === e.gateId &&
        dataOf(a).findingId === e.findingId &&
        dataOf(a).expiresAt === e.expiresAt &&
        dataOf(a).reason === e.reason,
    );
    if (!backed) {
      problems.push(`exception ${e.id}: no audit entry records it as shown`);
    }
  }
  if (pkg.gates && !Array.isArray(pkg.gates.results)) {
    problems.push('gates: results are missing');
  } else if (pkg.gates) {
    const digest = sha256Hex(JSON.stringify(pkg.gates.results));
    const backed = find(
      entries,
      'gates.evaluated',
      d => d.runId === pkg.gates!.runId && d.resultsSha256 === digest,
    );
    if (!backed) {
      problems.push(
        `gates: the results of run ${pkg.gates.runId} do not match the digest in the audit log`,
      );
    }
  }
  return {
    ok: problems.length === 0,
    problems,
    checkedEntries: entries.length,
  };
}
