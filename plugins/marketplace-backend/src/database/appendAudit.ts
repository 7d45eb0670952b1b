import type { Knex } from 'knex';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';
import { canonicalJson, hashAuditEntry } from '../audit/auditHash';
import type { AuditInput } from './MarketplaceStore';
import { normalizeRef, type AuditRow } from './rows';

/**
 * Appends one entry to the audit log inside the caller's transaction. The head row is locked
 * first, so concurrent appends queue up and every entry links to the one before it.
 */
export async function appendAudit(
  tx: Knex.Transaction,
  input: AuditInput,
  options: { isPostgres: boolean },
): Promise<AuditEntry> {
  const headQuery = tx<{ id: number; seq: number; hash: string }>(
    'audit_head',
  ).where('id', 1);
  const head = await (options.isPostgres
    ? headQuery.forUpdate()
    : headQuery
  ).first();
  if (!head) throw new Error('The audit log has no head row');
  // canonical JSON, parsed back: the stored data is exactly what was hashed
  const data = JSON.parse(canonicalJson(input.data));
  const content = {
    seq: Number(head.seq) + 1,
    at: new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    entityRef: input.entityRef && normalizeRef(input.entityRef),
    data,
    prevHash: head.hash,
  };
  const entry: AuditEntry = { ...content, hash: hashAuditEntry(content) };
  await tx<AuditRow>('audit_log').insert({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    entity_ref: entry.entityRef,
    data: canonicalJson(entry.data),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  });
  await tx('audit_head')
    .where({ id: 1 })
    .update({ seq: entry.seq, hash: entry.hash });
  return entry;
}
