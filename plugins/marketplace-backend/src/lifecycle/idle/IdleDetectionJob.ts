import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { MicroAppEntityV1alpha1 } from '@microapps/plugin-marketplace-common';
import type { AppDirectory } from '../../service/AppDirectory';
import { governanceLink } from '../../service/AppDirectory';
import { DAY_MS, isExpired } from '../../service/lifecycle/expiryRules';
import type { Notice } from '../../service/Notifier';
import type { ChangeRunner } from '../../service/workflow/ChangeRunner';
import type { CatalogActivitySignal } from './activitySignals';
import type { DatabaseActivityStore, KnownApp } from './DatabaseActivityStore';
import type { IdleDetector } from './IdleDetector';
import type { IdleConfig } from './readIdleConfig';

const ACTOR = 'plugin:marketplace';
const PAGE = 500;

const day = (date: Date) => date.toISOString().slice(0, 10);

/** How a signal reads in a notice. */
const SIGNAL_WORDS: Record<string, string> = {
  catalog: 'a change in the catalog',
  usage: 'reported usage',
};

/**
 * The idle detection job: fingerprints every known app in the catalog, reads every activity
 * signal, flags apps idle for longer than `idleAfterDays` (once per idle period, audited,
 * their owners notified) and clears the flag of apps active again. Safe to repeat.
 */
export class IdleDetectionJob {
  constructor(
    private readonly options: {
      store: DatabaseActivityStore;
      detector: IdleDetector;
      catalogSignal: CatalogActivitySignal;
      directory: Pick<AppDirectory, 'getApps'>;
      changes: Pick<ChangeRunner, 'afterCommit'>;
      logger: LoggerService;
      config: IdleConfig;
      /** The clock; tests move it. */
      now?: () => Date;
    },
  ) {}

  async runOnce(): Promise<{ flagged: number; cleared: number }> {
    const { store } = this.options;
    const now = this.options.now?.() ?? new Date();
    let flagged = 0;
    let cleared = 0;
    let after: string | undefined;
    for (;;) {
      const page = await store.listKnownApps({ after, limit: PAGE });
      if (!page.length) break;
      after = page[page.length - 1].record.entityRef;
      const counts = await this.runPage(page, now);
      flagged += counts.flagged;
      cleared += counts.cleared;
      if (page.length < PAGE) break;
    }
    return { flagged, cleared };
  }

  private async runPage(page: KnownApp[], now: Date) {
    const { detector, catalogSignal, directory, config, logger } = this.options;
    const entities = await directory.getApps(page.map(a => a.record.entityRef));
    // apps gone from the catalog have no owners to tell; they are left as they are
    const present = page.flatMap(app => {
      const entity = entities.get(app.record.entityRef);
      return entity ? [{ app, entity }] : [];
    });
    await catalogSignal.observe(present, now);
    const refs = present.map(p => p.app.record.entityRef);
    const { activity, failed } = await detector.collect(refs);
    if (failed.length) {
      logger.warn(
        `Idle detection flags no app this run: signal(s) ${failed.join(
          ', ',
        )} failed`,
      );
    }
    const flags = await this.options.store.getIdleFlags(refs);
    const activeSince = new Date(now.getTime() - config.idleAfterDays * DAY_MS);
    let flagged = 0;
    let cleared = 0;
    for (const { app, entity } of present) {
      const entityRef = app.record.entityRef;
      const last = activity.get(entityRef);
      if (!last) continue;
      const idle = last.at.getTime() < activeSince.getTime();
      const flag = flags.get(entityRef);
      try {
        if (idle && !flag && !failed.length) {
          // expired apps are hidden already; telling their owners again helps nobody
          if (app.record.expiredAt || isExpired(app.record, now)) continue;
          if (await this.flag(entity, entityRef, last, now, activeSince)) {
            flagged++;
          }
        } else if (!idle && flag) {
          if (await this.clear(entityRef, last)) cleared++;
        }
      } catch (error) {
        // one app's failure never stops the run for the others
        logger.error(`Idle detection of '${entityRef}' failed: ${error}`, {
          entityRef,
        });
      }
    }
    return { flagged, cleared };
  }

  private async flag(
    entity: MicroAppEntityV1alpha1,
    entityRef: string,
    last: { at: Date; signal: string },
    now: Date,
    activeSince: Date,
  ): Promise<boolean> {
    const { store, changes, config } = this.options;
    const entry = await store.flagIdle({
      entityRef,
      flaggedAt: now,
      lastActivity: last,
      idleAfterDays: config.idleAfterDays,
      activeSince,
      actor: ACTOR,
    });
    if (!entry) return false;
    const days = Math.floor((now.getTime() - last.at.getTime()) / DAY_MS);
    const title = entity.metadata.title ?? entity.metadata.name;
    const notice: Notice = {
      to: [entityRef],
      title: `${title} looks idle`,
      description: `${entityRef} has had no activity for ${days} days (the limit is ${
        config.idleAfterDays
      }): the last signal was ${
        SIGNAL_WORDS[last.signal] ?? `'${last.signal}'`
      } on ${day(
        last.at,
      )}. If it is still used, have its usage reported to the marketplace or update it in the catalog; otherwise consider retiring it.`,
      link: governanceLink(entityRef),
    };
    await changes.afterCommit({ audit: [entry], notices: [notice] });
    return true;
  }

  private async clear(
    entityRef: string,
    last: { at: Date; signal: string },
  ): Promise<boolean> {
    const entry = await this.options.store.clearIdle({
      entityRef,
      actor: ACTOR,
      lastActivity: last,
    });
    if (!entry) return false;
    await this.options.changes.afterCommit({ audit: [entry] });
    return true;
  }
}

/**
 * Schedules idle detection (task `marketplace-idle-detection`, once per cluster, every
 * `marketplace.lifecycle.idleCheckEvery`).
 */
export async function scheduleIdleDetectionJob(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  job: IdleDetectionJob;
  config: IdleConfig;
}) {
  const { scheduler, logger, job, config } = options;
  await scheduler.scheduleTask({
    id: 'marketplace-idle-detection',
    scope: 'global',
    frequency: config.checkEvery,
    timeout: { minutes: 30 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const { flagged, cleared } = await job.runOnce();
      if (flagged || cleared) {
        logger.info(
          `Idle detection: ${flagged} apps flagged idle, ${cleared} active again`,
          { flagged, cleared },
        );
      }
    },
  });
}
