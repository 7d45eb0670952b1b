import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { AuditEntry } from '@microapps/plugin-marketplace-common';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers: everything but the hash itself. */
export type AuditEntryContent = Omit<AuditEntry, 'hash'>;

/** RFC 8785 canonical JSON: the same document always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new TypeError('Cannot canonicalize an undefined value');
  }
  return text;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The entry's hash: SHA-256 of the previous entry's hash, a newline, and the canonical JSON of
 * `{ seq, at, actor, action, entityRef, data }`. `prevHash` is part of the input twice over
 * (as the prefix), so an entry cannot be moved to another place in the chain.
 */
export function hashAuditEntry(entry: AuditEntryContent): string {
  const { seq, at, actor, action, entityRef, data, prevHash } = entry;
  return sha256Hex(
    `${prevHash}\n${canonicalJson({
      seq,
      at,
      actor,
      action,
      entityRef,
      data,
    })}`,
  );
}

/** Why an entry does not belong to the chain, or undefined when it does. */
export function checkAuditLink(
  entry: AuditEntry,
  previous: { seq: number; hash: string } | undefined,
): string | undefined {
  if (hashAuditEntry(entry) !== entry.hash) {
    return `entry ${entry.seq}: its hash does not match its content`;
  }
  if (previous && entry.prevHash !== previous.hash) {
    return `entry ${entry.seq}: prevHash does not match the hash of entry ${previous.seq}`;
  }
  if (previous && entry.seq !== previous.seq + 1) {
    return `entry ${entry.seq}: follows entry ${previous.seq}; entries are missing`;
  }
  return undefined;
}
