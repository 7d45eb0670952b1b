import type {
  GateRun,
  GateRunStatus,
  TierId,
} from '@microapps/plugin-marketplace-common';

/** A stored gate run, with its id. */
export interface StoredGateRun extends GateRun {
  id: string;
}

/** The marketplace's own record of an app. */
export interface AppRecord {
  entityRef: string;
  requestedTier: TierId;
  gateStatus: GateRunStatus;
  latestRunId?: string;
  firstSeenAt: string;
  updatedAt: string;
}

/** Storage of the marketplace. */
export interface MarketplaceStore {
  /**
   * Stores a run. When the app's latest run has the same input hash and results, only its
   * evaluation time is refreshed (`created: false`); otherwise a new history row is added.
   */
  recordGateRun(run: GateRun): Promise<{ id: string; created: boolean }>;
  getLatestGateRun(entityRef: string): Promise<StoredGateRun | undefined>;
  listGateRuns(
    entityRef: string,
    options?: { limit?: number },
  ): Promise<StoredGateRun[]>;
  getApps(entityRefs: string[]): Promise<Map<string, AppRecord>>;
}
