import { checkAuditLink, GENESIS_HASH, hashAuditEntry } from './auditHash';

const entry = (seq: number, prevHash: string) => {
  const content = {
    seq,
    at: '2026-11-28T12:00:00.000Z',
    actor: 'user:default/sam',
    action: 'signoff.recorded',
    entityRef: 'microapp:default/x',
    data: { stage: 'security', b: 1, a: [2, 1] },
    prevHash,
  };
  return { ...content, hash: hashAuditEntry(content) };
};

describe('audit hash chain', () => {
  it('is independent of key order and changes with any field', () => {
    const first = entry(1, GENESIS_HASH);
    const reordered = {
      ...first,
      data: { a: [2, 1], b: 1, stage: 'security' },
    };
    expect(hashAuditEntry(reordered)).toBe(first.hash);
    expect(hashAuditEntry({ ...first, actor: 'user:default/eve' })).not.toBe(
      first.hash,
    );
    expect(
      hashAuditEntry({ ...first, data: { ...first.data, b: 2 } }),
    ).not.toBe(first.hash);
  });

  it('names the entry whose content, link or position is broken', () => {
    const first = entry(1, GENESIS_HASH);
    const second = entry(2, first.hash);
    expect(checkAuditLink(first, undefined)).toBeUndefined();
    expect(checkAuditLink(second, first)).toBeUndefined();
    expect(checkAuditLink({ ...second, action: 'x' }, first)).toMatch(
      /entry 2: its hash/,
    );
    const forked = entry(2, GENESIS_HASH);
    expect(checkAuditLink(forked, first)).toMatch(/entry 2: prevHash/);
    const gap = entry(3, first.hash);
    expect(checkAuditLink(gap, first)).toMatch(/entries are missing/);
  });
});
