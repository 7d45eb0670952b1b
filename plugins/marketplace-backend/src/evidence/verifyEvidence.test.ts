import type {
  AuditEntry,
  GateResult,
} from '@microapps/plugin-marketplace-common';
import { GENESIS_HASH, hashAuditEntry, sha256Hex } from '../audit/auditHash';
import { EVIDENCE_FORMAT, type EvidencePackage } from './types';
import { evidenceDigest, verifyEvidence } from './verifyEvidence';

const APP = 'microapp:default/payroll-export';
const OTHER = 'microapp:default/canteen-menu';
const PROMOTION = '3f1c2a9e-5b7d-4c1e-9a0b-6d2e8f4a1c3b';
const EXCEPTION = 'b8e4d2c1-7a6f-4e3d-8c2b-1a9f0e5d4c7b';

const results: GateResult[] = [
  {
    gateId: 'manifest',
    status: 'pass',
    enforcement: 'block',
    findings: [],
  },
  {
    gateId: 'vulnerabilities',
    status: 'fail',
    enforcement: 'block',
    summary: '1 high',
    findings: [
      {
        id: 'GHSA-29mw-wpgm-hmr9:pkg:npm/lodash@4.17.20',
        severity: 'high',
        message: 'lodash 4.17.20 is vulnerable to prototype pollution',
        location: 'pkg:npm/lodash@4.17.20',
        url: 'https://github.com/advisories/GHSA-29mw-wpgm-hmr9',
      },
    ],
  },
];

// The whole log, with another app's entries in between: the package holds only its app's
// entries, so some of them follow each other and some do not.
function auditLog(): AuditEntry[] {
  const content: Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>[] = [
    {
      at: '2026-11-20T09:00:00.000Z',
      actor: 'plugin:catalog',
      action: 'gates.evaluated',
      entityRef: OTHER,
      data: { runId: '41', resultsSha256: sha256Hex('[]') },
    },
    {
      at: '2026-11-20T09:00:01.000Z',
      actor: 'plugin:catalog',
      action: 'gates.evaluated',
      entityRef: APP,
      data: {
        runId: '42',
        tier: 'vetted',
        status: 'fail',
        inputHash: 'a'.repeat(64),
        sbomSha256: 'c'.repeat(64),
        resultsSha256: sha256Hex(JSON.stringify(results)),
      },
    },
    {
      at: '2026-11-21T10:15:00.000Z',
      actor: 'user:default/olivia',
      action: 'promotion.created',
      entityRef: APP,
      data: {
        promotionId: PROMOTION,
        fromTier: 'discover',
        targetTier: 'vetted',
        stages: ['automated', 'security', 'compliance', 'cost'],
        comment: 'Ready for the finance teams',
      },
    },
    {
      at: '2026-11-22T08:30:00.000Z',
      actor: 'user:default/sam',
      action: 'exception.granted',
      entityRef: APP,
      data: {
        exceptionId: EXCEPTION,
        gateId: 'vulnerabilities',
        findingId: 'GHSA-29mw-wpgm-hmr9:pkg:npm/lodash@4.17.20',
        reason: 'Only reachable from an admin-only import path',
        expiresAt: '2027-01-31T00:00:00.000Z',
      },
    },
    {
      at: '2026-11-22T08:31:00.000Z',
      actor: 'user:default/olivia',
      action: 'promotion.created',
      entityRef: OTHER,
      data: { promotionId: 'other' },
    },
    signoffEntry('2026-11-22T09:00:00.000Z', 'user:default/sam', 'security'),
    signoffEntry('2026-11-23T14:00:00.000Z', 'user:default/jo', 'compliance'),
    {
      at: '2026-11-24T07:00:00.000Z',
      actor: 'plugin:catalog',
      action: 'gates.evaluated',
      entityRef: OTHER,
      data: { runId: '43', resultsSha256: sha256Hex('[]') },
    },
  ];
  let prevHash = GENESIS_HASH;
  return content.map((entry, index) => {
    const unhashed = { ...entry, seq: index + 1, prevHash };
    prevHash = hashAuditEntry(unhashed);
    return { ...unhashed, hash: prevHash };
  });
}

const COMMENTS: Record<string, string> = {
  security: 'Geprüft: the lodash finding is excepted until January',
  compliance: 'Data classification confirmed as internal',
};

function signoffEntry(at: string, reviewer: string, stage: string) {
  return {
    at,
    actor: reviewer,
    action: 'signoff.recorded',
    entityRef: APP,
    data: {
      promotionId: PROMOTION,
      revision: 1,
      stage,
      decision: 'approve',
      comment: COMMENTS[stage],
      promotionStatus: 'open',
      tierChange: null,
    },
  };
}

/** A package as the EvidenceService builds it, with a consistent audit trail. */
function buildPackage(): EvidencePackage {
  const log = auditLog();
  const signoff = (seq: number) => {
    const { actor, at, data } = log[seq - 1];
    return {
      id: `signoff-${seq}`,
      stage: data.stage as string,
      decision: 'approve' as const,
      comment: data.comment as string,
      reviewer: actor,
      revision: 1,
      createdAt: at,
    };
  };
  const content: Omit<EvidencePackage, 'digest'> = {
    format: EVIDENCE_FORMAT,
    generatedAt: '2026-11-25T12:00:00.000Z',
    entityRef: APP,
    manifest: {
      apiVersion: 'microapps.dev/v1alpha1',
      kind: 'MicroApp',
      metadata: { name: 'payroll-export', namespace: 'default' },
      spec: { owner: 'group:default/finance-apps', tier: 'vetted' },
    },
    effectiveTier: 'discover',
    requestedTier: 'vetted',
    sbom: { location: 'https://sbom.example.com/payroll.json', sha256: null },
    gates: {
      runId: '42',
      evaluatedAt: '2026-11-20T09:00:00.000Z',
      tier: 'vetted',
      status: 'fail',
      inputHash: 'a'.repeat(64),
      results,
    },
    exceptions: [
      {
        id: EXCEPTION,
        entityRef: APP,
        gateId: 'vulnerabilities',
        findingId: 'GHSA-29mw-wpgm-hmr9:pkg:npm/lodash@4.17.20',
        reason: 'Only reachable from an admin-only import path',
        expiresAt: '2027-01-31T00:00:00.000Z',
        grantedBy: 'user:default/sam',
        grantedAt: '2026-11-22T08:30:00.000Z',
        status: 'active',
      },
    ],
    promotions: [
      {
        id: PROMOTION,
        entityRef: APP,
        fromTier: 'discover',
        targetTier: 'vetted',
        status: 'open',
        revision: 1,
        submitter: 'user:default/olivia',
        comment: 'Ready for the finance teams',
        createdAt: '2026-11-21T10:15:00.000Z',
        updatedAt: '2026-11-23T14:00:00.000Z',
        stages: [
          { id: 'automated', kind: 'automated', state: 'passed' },
          { id: 'security', kind: 'human', state: 'approved' },
          { id: 'compliance', kind: 'human', state: 'approved' },
          { id: 'cost', kind: 'human', state: 'pending' },
        ],
        currentStage: 'cost',
        signoffs: [signoff(6), signoff(7)],
      },
    ],
    cost: { center: 'CC-4711', monthlyForecast: 120.5, currency: 'EUR' },
    support: { slaTier: 'business-hours', contact: 'finance-apps@example.com' },
    audit: {
      entries: log.filter(e => e.entityRef === APP),
      chainHead: { seq: log.length, hash: log[log.length - 1].hash },
    },
  };
  return { ...content, digest: evidenceDigest(content) };
}

/** The package with one byte of its JSON text changed, parsed again. */
function flipByte(text: Buffer, offset: number, byte: number) {
  const copy = Buffer.from(text);
  copy[offset] = byte;
  return JSON.parse(copy.toString('utf8'));
}

const DIGEST_PROBLEM = 'digest: the content does not match the package digest';

describe('verifyEvidence', () => {
  it('accepts an intact package, also after a round trip through JSON', () => {
    const pkg = buildPackage();
    expect(verifyEvidence(pkg)).toEqual({
      ok: true,
      problems: [],
      checkedEntries: 5,
    });
    const saved = JSON.stringify(pkg, null, 2);
    expect(verifyEvidence(JSON.parse(saved)).ok).toBe(true);
  });

  it.each<[string, string, number, string[]]>([
    [
      'a sign-off comment',
      'Geprüft',
      0,
      [
        `promotion ${PROMOTION}: the approve of stage 'security' (revision 1) by user:default/sam has no matching audit entry`,
      ],
    ],
    [
      'a finding message',
      'prototype pollution',
      0,
      ['gates: the results of run 42 do not match the digest in the audit log'],
    ],
    [
      'an exception reason',
      'admin-only',
      3,
      [`exception ${EXCEPTION}: no audit entry records it as shown`],
    ],
    ['the revision of the request', '"revision":1', 11, []],
    ['the digest', buildPackage().digest, 7, []],
    [
      'the hash of audit entry 6',
      buildPackage().audit.entries[3].hash,
      20,
      ['audit entry 6: its hash does not match its content'],
    ],
  ])(
    'refuses a package with one byte of %s changed',
    (_, needle, within, problems) => {
      const text = Buffer.from(JSON.stringify(buildPackage()));
      const offset = text.indexOf(needle) + within;
      expect(offset).toBeGreaterThanOrEqual(within);
      const byte = text[offset] === 0x30 ? 0x31 : 0x30; // '0' or '1'
      const verdict = verifyEvidence(flipByte(text, offset, byte));
      expect(verdict.ok).toBe(false);
      expect(verdict.problems).toEqual(
        expect.arrayContaining([DIGEST_PROBLEM, ...problems]),
      );
    },
  );

  it('refuses every change of a single byte that still parses', () => {
    const text = Buffer.from(JSON.stringify(buildPackage()));
    let parsed = 0;
    const accepted: string[] = [];
    for (let offset = 0; offset < text.length; offset++) {
      // another digit, another letter, or a space for a quote: often still valid JSON
      const b = text[offset];
      let byte = b === 0x61 ? 0x62 : 0x61;
      if (b >= 0x30 && b <= 0x39) byte = b === 0x39 ? 0x30 : b + 1;
      if (b === 0x22) byte = 0x20;
      let changed;
      try {
        changed = flipByte(text, offset, byte);
      } catch {
        continue;
      }
      parsed++;
      // some shapes make verifyEvidence throw (e.g. an entry without `data`): not accepted either
      const ok = (() => {
        try {
          return verifyEvidence(changed).ok;
        } catch {
          return false;
        }
      })();
      if (ok)
        accepted.push(`${offset}: ${text.subarray(offset - 20, offset + 20)}`);
    }
    expect(accepted).toEqual([]);
    expect(parsed).toBeGreaterThan(text.length * 0.75);
  });

  it.each<[string, (pkg: EvidencePackage) => void, string]>([
    [
      "a sign-off's decision",
      pkg => {
        pkg.promotions[0].signoffs[1].decision = 'reject';
      },
      `promotion ${PROMOTION}: the reject of stage 'compliance' (revision 1) by user:default/jo has no matching audit entry`,
    ],
    [
      "a sign-off's reviewer",
      pkg => {
        pkg.promotions[0].signoffs[0].reviewer = 'user:default/olivia';
      },
      `promotion ${PROMOTION}: the approve of stage 'security' (revision 1) by user:default/olivia has no matching audit entry`,
    ],
    [
      "an exception's expiry",
      pkg => {
        pkg.exceptions[0].expiresAt = '2027-12-31T00:00:00.000Z';
      },
      `exception ${EXCEPTION}: no audit entry records it as shown`,
    ],
    [
      'a gate result',
      pkg => {
        pkg.gates!.results[1].status = 'pass';
      },
      'gates: the results of run 42 do not match the digest in the audit log',
    ],
    [
      "the data of audit entry 3 (the request's comment)",
      pkg => {
        pkg.audit.entries[1].data.comment = 'Urgent';
      },
      'audit entry 3: its hash does not match its content',
    ],
    [
      'the data of audit entry 6, rehashed',
      pkg => {
        const entry = pkg.audit.entries[3];
        entry.data.stage = 'cost';
        entry.hash = hashAuditEntry(entry);
      },
      'audit entry 7: prevHash does not match the hash of entry 6',
    ],
    [
      'the order of the audit entries',
      pkg => {
        pkg.audit.entries.reverse();
      },
      'audit entry 3: out of order',
    ],
    [
      'the entity of an audit entry',
      pkg => {
        pkg.audit.entries.push(auditLog()[0]);
      },
      `audit entry 1: belongs to ${OTHER}`,
    ],
  ])(
    'names what no longer matches when %s changed and the digest was recomputed',
    (_, tamper, problem) => {
      const pkg = buildPackage();
      tamper(pkg);
      pkg.digest = evidenceDigest(pkg);
      const verdict = verifyEvidence(pkg);
      expect(verdict.ok).toBe(false);
      expect(verdict.problems).toContain(problem);
      expect(verdict.problems).not.toContain(DIGEST_PROBLEM);
    },
  );

  it.each([
    [
      'another format',
      { ...buildPackage(), format: 'microapps.dev/evidence/v2' },
    ],
    ['no format', { ...buildPackage(), format: undefined }],
    ['not an object', 'microapps.dev/evidence/v1'],
    ['null', null],
  ])('refuses %s', (_, input) => {
    expect(verifyEvidence(input)).toEqual({
      ok: false,
      problems: [
        "not an evidence package: format must be 'microapps.dev/evidence/v1'",
      ],
      checkedEntries: 0,
    });
  });

  it("refuses a newest entry that does not match the chain head's hash", () => {
    const pkg = buildPackage();
    const last = pkg.audit.entries[pkg.audit.entries.length - 1];
    pkg.audit.chainHead = { seq: last.seq, hash: 'f'.repeat(64) };
    const { digest: _, ...content } = pkg;
    const verdict = verifyEvidence({
      ...content,
      digest: evidenceDigest(content),
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      `audit entry ${last.seq}: does not match the chain head's hash`,
    ]);
  });

  it('names missing gate results and broken entries instead of throwing', () => {
    const pkg = buildPackage() as any;
    delete pkg.gates.results;
    pkg.audit.entries = [...pkg.audit.entries, null];
    pkg.promotions = [...pkg.promotions, null];
    const verdict = verifyEvidence(pkg);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual(
      expect.arrayContaining([
        'gates: results are missing',
        'audit: an entry is not an object',
      ]),
    );
  });
});
