import type { LoggerService } from '@backstage/backend-plugin-api';
import type { GateRun } from '@microapps/plugin-marketplace-common';
import type { MarketplaceService } from '@microapps/plugin-marketplace-node';

/** Re-send an unchanged run after this long, so that its evaluation time stays fresh. */
const REFRESH_AFTER_MS = 60 * 60 * 1000;

/**
 * Sends gate runs to the marketplace backend. The catalog reprocesses every entity every
 * few minutes; a run whose inputs and verdict did not change is sent again only hourly.
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
    const key = `${run.inputHash}:${run.status}:${run.tier}`;
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
