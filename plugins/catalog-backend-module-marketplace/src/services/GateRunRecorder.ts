import { createHash } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import type { MarketplaceService } from '@microapps/plugin-marketplace-node';

/** Re-send an unchanged run after this long, so that its evaluation time stays fresh. */
const REFRESH_AFTER_MS = 60 * 60 * 1000;

/**
 * What a run says, without its time: equal keys mean the stored run is still right. The
 * per-gate results count, not only the overall status: an OPA gate that turns from `pass`
 * to `error` on an app that already fails leaves inputs and status as they were.
 */
function runKey(run: GateRun): string {
  const { inputHash, status, tier, results } = run;
  return createHash('sha256')
    .update(JSON.stringify({ inputHash, status, tier, results }))
    .digest('hex');
}

/**
 * Sends gate runs to the marketplace backend. The catalog reprocesses every entity every
 * few minutes; a run whose inputs and results did not change is sent again only hourly.
 * A backend that is down or not installed is logged, never fails the catalog's processing.
 */
export class GateRunRecorder {
  private readonly sent = new Map<string, { key: string; at: number }>();
  private lastFailureLog = 0;

  constructor(
    private readonly options: {
      marketplace: MarketplaceService;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  async record(run: GateRun): Promise<void> {
    const now = this.options.now?.() ?? Date.now();
    const key = runKey(run);
    const previous = this.sent.get(run.entityRef);
    if (previous?.key === key && now - previous.at < REFRESH_AFTER_MS) {
      return;
    }
    try {
      await this.options.marketplace.recordGateRun(run);
      this.sent.set(run.entityRef, { key, at: now });
    } catch (error) {
      if (now - this.lastFailureLog > 60_000) {
        this.lastFailureLog = now;
        this.options.logger.warn(
          `Could not store gate results in the marketplace backend (is it installed?): ${error}`,
          { entityRef: run.entityRef },
        );
      }
    }
  }
}
