import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  AuditEntry,
  reportReadPermission,
} from '@microapps/plugin-marketplace-common';
import type { MarketplaceStore } from '../database/MarketplaceStore';
import type { AccessGuard } from '../service/AccessGuard';
import { AppDirectory, appEntityRef } from '../service/AppDirectory';
import { checkAuditLink } from './auditHash';

/** The verdict of `GET /audit/verify`. */
export type AuditVerdict = {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
  problem?: string;
  head: { seq: number; hash: string };
};

/** Reading the audit log, and recomputing its hash chain. */
export class AuditService {
  constructor(
    private readonly options: {
      store: MarketplaceStore;
      directory: AppDirectory;
      guard: AccessGuard;
    },
  ) {}

  async list(
    query: { entityRef?: string; afterSeq?: number; limit?: number },
    credentials: BackstageCredentials,
  ): Promise<{ items: AuditEntry[] }> {
    const { store, directory, guard } = this.options;
    if (query.entityRef) {
      // an app's trail is visible to whoever may see the app
      await directory.getVisibleApp(query.entityRef, credentials);
    } else {
      await guard.require(reportReadPermission, credentials);
    }
    const items = await store.listAudit({
      ...(query.entityRef && { entityRef: appEntityRef(query.entityRef) }),
      afterSeq: query.afterSeq,
      limit: query.limit ?? 100,
    });
    return { items };
  }

  async verify(credentials: BackstageCredentials): Promise<AuditVerdict> {
    await this.options.guard.require(reportReadPermission, credentials);
    return verifyStoredChain(this.options.store);
  }
}

/**
 * Walks the log up to the head it read first, in order, and names the first entry whose
 * hash, link to the one before, or place in the sequence is wrong. Also checks the head row
 * against the last entry, so deleting the newest entries is noticed too.
 */
export async function verifyStoredChain(
  store: MarketplaceStore,
  batchSize = 5000,
): Promise<AuditVerdict> {
  const head = await store.getAuditHead();
  let previous: AuditEntry | undefined;
  let checked = 0;
  let broken: { seq: number; problem: string } | undefined;
  // entries appended while we read are after the head we read: checked next time
  await store.scanAudit(
    batchSize,
    entries => {
      for (const entry of entries) {
        if (broken) return;
        checked += 1;
        const problem =
          !previous && entry.seq !== 1
            ? `entry ${entry.seq} is the first one; entries before it are missing`
            : checkAuditLink(entry, previous);
        if (problem) broken = { seq: entry.seq, problem };
        previous = entry;
      }
    },
    { upTo: head.seq },
  );
  if (!broken && (previous?.seq ?? 0) !== head.seq) {
    broken = {
      seq: (previous?.seq ?? 0) + 1,
      problem: `the head says ${head.seq} entries, the log ends at ${
        previous?.seq ?? 0
      }`,
    };
  } else if (!broken && previous && previous.hash !== head.hash) {
    broken = {
      seq: previous.seq,
      problem: `entry ${previous.seq} does not match the head's hash`,
    };
  }
  return {
    ok: !broken,
    checked,
    ...(broken && { firstBrokenSeq: broken.seq, problem: broken.problem }),
    head,
  };
}
